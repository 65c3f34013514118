import { readMetricAlarm } from './alarm-input.js';
import { metricAlarmView } from './alarm-view.js';
import type { CloudWatchContext, CloudWatchHandler } from './context.js';
import { resourceNotFound, validationError } from './errors.js';
import { type Alarm, STATE_VALUES } from './model.js';
import { changeState } from './transitions.js';
import { boundedString, enumValue, requiredString, stringList } from './validation.js';

/** Writes the ConfigurationUpdate history item for a created, updated or deleted alarm. */
export function recordConfiguration(
  ctx: CloudWatchContext,
  alarm: Alarm,
  type: 'Create' | 'Update' | 'Delete',
  view: object,
): void {
  const verb = type === 'Create' ? 'created' : type === 'Update' ? 'updated' : 'deleted';
  const key = `${verb}Alarm`;
  ctx.place.history.push({
    AlarmName: alarm.name,
    AlarmType: alarm.kind,
    Timestamp: ctx.clock.now(),
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: `Alarm "${alarm.name}" ${verb}`,
    HistoryData: JSON.stringify({ version: '1.0', type, [key]: view }),
  });
}

/** PutMetricAlarm: creates an alarm, or overwrites an existing one's configuration (its state is kept). */
export const putMetricAlarm: CloudWatchHandler = (input, ctx) => {
  const existing = ctx.place.alarms.get(String(input.AlarmName));
  const alarm = readMetricAlarm(input, ctx.place.place, ctx.clock.now(), existing?.state);
  if (existing?.kind === 'MetricAlarm') ctx.state.unschedule(existing);
  ctx.place.alarms.set(alarm.name, alarm);
  ctx.state.scheduleAlarm(alarm);
  recordConfiguration(ctx, alarm, existing ? 'Update' : 'Create', metricAlarmView(alarm));
  return {};
};

/** SetAlarmState: sets the state until the next evaluation changes it, as in AWS. */
export const setAlarmState: CloudWatchHandler = (input, ctx) => {
  const name = requiredString(input.AlarmName, 'alarmName', 255);
  const value = enumValue(input.StateValue, 'stateValue', STATE_VALUES);
  if (value === undefined) requiredString(undefined, 'stateValue', 1);
  const reason = requiredString(input.StateReason, 'stateReason', 1023);
  const data = boundedString(input.StateReasonData, 'stateReasonData', 4000);
  if (data !== undefined) {
    try {
      JSON.parse(data);
    } catch {
      throw validationError('State reason data must be valid JSON.');
    }
  }
  const alarm = ctx.place.alarms.get(name);
  // AWS's answer for an unknown alarm carries no message.
  if (!alarm) throw resourceNotFound();
  changeState(ctx.place, alarm, value as Alarm['state']['value'], reason, data, ctx.clock.now());
  return {};
};

/** DeleteAlarms: names that do not exist are ignored. */
export const deleteAlarms: CloudWatchHandler = (input, ctx) => {
  const names = stringList(input.AlarmNames, 'alarmNames', 100);
  for (const name of names) {
    const alarm = ctx.place.alarms.get(name);
    if (!alarm) continue;
    ctx.place.alarms.delete(name);
    if (alarm.kind === 'MetricAlarm') ctx.state.unschedule(alarm);
    for (const parents of ctx.place.parents.values()) parents.delete(name);
    recordConfiguration(ctx, alarm, 'Delete', {});
  }
  return {};
};
