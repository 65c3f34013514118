import { longDate } from '../core/format.js';
import type { Alarm, CompositeAlarm, StateValue } from './model.js';
import { evaluateRule } from './rule.js';
import type { CloudWatchPlace } from './state.js';

/** The JSON of a state, with the reason data embedded as JSON (it is already serialized). */
function stateJson(value: StateValue, reason: string, reasonData: string | undefined): string {
  const data = reasonData ? `,"stateReasonData":${reasonData}` : '';
  return `{"stateValue":"${value}","stateReason":${JSON.stringify(reason)}${data}}`;
}

/**
 * Moves an alarm to a new state, writes the StateUpdate history item AWS writes ("Alarm updated from OK to
 * ALARM"), and re-evaluates the composite alarms whose rules mention it. Does nothing if the value is unchanged.
 */
export function changeState(
  at: CloudWatchPlace,
  alarm: Alarm,
  value: StateValue,
  reason: string,
  reasonData: string | undefined,
  nowMs: number,
): boolean {
  const old = alarm.state;
  if (old.value === value) return false;
  alarm.state = { value, reason, updatedAt: nowMs, transitionedAt: nowMs };
  if (reasonData !== undefined) alarm.state.reasonData = reasonData;
  at.history.push({
    AlarmName: alarm.name,
    AlarmType: alarm.kind,
    Timestamp: nowMs,
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${old.value} to ${value}`,
    HistoryData: `{"version":"1.0","oldState":${stateJson(old.value, old.reason, old.reasonData)},"newState":${stateJson(value, reason, reasonData)}}`,
  });
  for (const parent of at.parents.get(alarm.name) ?? []) {
    const composite = at.alarms.get(parent);
    if (composite?.kind === 'CompositeAlarm') evaluateComposite(at, composite, nowMs, alarm);
  }
  return true;
}

/**
 * Evaluates a composite alarm's rule: TRUE is ALARM, FALSE is OK. The reason names the child that triggered the
 * change, or says the alarm was created, in AWS's words.
 */
export function evaluateComposite(
  at: CloudWatchPlace,
  composite: CompositeAlarm,
  nowMs: number,
  trigger?: Alarm,
): void {
  const holds = evaluateRule(composite.parsedRule, (name) => at.alarms.get(name)?.state.value);
  const value: StateValue = holds ? 'ALARM' : 'OK';
  if (composite.state.value === value) return;
  const stamp = (a: Alarm) =>
    `{"arn":"${a.arn}","state":{"value":"${a.state.value}","timestamp":"${new Date(a.state.transitionedAt).toISOString().slice(0, 23)}+0000"}}`;
  const reason = trigger
    ? `${trigger.arn} transitioned to ${trigger.state.value} at ${longDate(trigger.state.transitionedAt)}`
    : `${composite.arn} was created and its alarm rule evaluates to ${value}`;
  const data = trigger ? `{"triggeringAlarms":[${stamp(trigger)}]}` : undefined;
  changeState(at, composite, value, reason, data, nowMs);
}
