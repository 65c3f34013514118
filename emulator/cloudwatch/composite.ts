import { alarmArn } from './alarm-input.js';
import { compositeAlarmView } from './alarm-view.js';
import { recordConfiguration } from './alarms.js';
import type { CloudWatchContext, CloudWatchHandler } from './context.js';
import { validationError } from './errors.js';
import type { CompositeAlarm } from './model.js';
import { parseRule, ruleChildren } from './rule.js';
import { evaluateComposite } from './transitions.js';
import { boundedString, requiredString, stringList } from './validation.js';

/** True when `target` is among `names` or the children of the composite alarms among them, transitively. */
function reaches(ctx: CloudWatchContext, names: string[], target: string, seen: Set<string>): boolean {
  for (const name of names) {
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const alarm = ctx.place.alarms.get(name);
    if (alarm?.kind === 'CompositeAlarm' && reaches(ctx, ruleChildren(alarm.parsedRule), target, seen)) return true;
  }
  return false;
}

/**
 * PutCompositeAlarm: an alarm whose state is its rule over other alarms' states (TRUE → ALARM, FALSE → OK).
 * It is evaluated at once and again whenever one of its children changes state.
 */
export const putCompositeAlarm: CloudWatchHandler = (input, ctx) => {
  const name = requiredString(input.AlarmName, 'alarmName', 255);
  const rule = requiredString(input.AlarmRule, 'alarmRule', 10240);
  let parsedRule: CompositeAlarm['parsedRule'];
  try {
    parsedRule = parseRule(rule);
  } catch (error) {
    throw validationError(`Error in AlarmRule: ${(error as Error).message}`);
  }
  const children = ruleChildren(parsedRule);
  if (reaches(ctx, children, name, new Set())) {
    throw validationError('The alarm rule creates a circular dependency between composite alarms.');
  }
  const existing = ctx.place.alarms.get(name);
  const now = ctx.clock.now();
  const alarm: CompositeAlarm = {
    kind: 'CompositeAlarm',
    name,
    arn: alarmArn(ctx.place.place, name),
    place: ctx.place.place,
    actionsEnabled: input.ActionsEnabled !== false,
    okActions: stringList(input.OKActions, 'oKActions', 5),
    alarmActions: stringList(input.AlarmActions, 'alarmActions', 5),
    insufficientDataActions: stringList(input.InsufficientDataActions, 'insufficientDataActions', 5),
    configUpdatedAt: now,
    state: existing?.state ?? {
      value: 'INSUFFICIENT_DATA',
      reason: 'Unchecked: Initial alarm creation',
      updatedAt: now,
      transitionedAt: now,
    },
    rule,
    parsedRule,
  };
  const description = boundedString(input.AlarmDescription, 'alarmDescription', 1024);
  if (description !== undefined) alarm.description = description;
  if (existing?.kind === 'MetricAlarm') ctx.state.unschedule(existing);
  for (const parents of ctx.place.parents.values()) parents.delete(name);
  for (const child of children) {
    let parents = ctx.place.parents.get(child);
    if (!parents) {
      parents = new Set();
      ctx.place.parents.set(child, parents);
    }
    parents.add(name);
  }
  ctx.place.alarms.set(name, alarm);
  recordConfiguration(ctx, alarm, existing ? 'Update' : 'Create', compositeAlarmView(alarm));
  evaluateComposite(ctx.place, alarm, now);
  return {};
};
