import { compositeAlarmView, metricAlarmView } from './alarm-view.js';
import type { CloudWatchHandler } from './context.js';
import { invalidCombination, invalidNextToken } from './errors.js';
import { type Alarm, STATE_VALUES } from './model.js';
import { boundedInt, boundedString, enumValue, stringList, tokens } from './validation.js';

const TYPES = ['CompositeAlarm', 'MetricAlarm', 'LogAlarm'] as const;

/** Sort key of an alarm in listings: by name, then type (a metric and a composite alarm may share a name). */
const keyOf = (a: Alarm) => `${a.name}\u0000${a.kind}`;

/**
 * DescribeAlarms: by names or by prefix (not both), by state and by type (metric alarms only, unless AlarmTypes
 * says otherwise), at most MaxRecords (1–100, default 50) a page with an opaque NextToken.
 */
export const describeAlarms: CloudWatchHandler = (input, ctx) => {
  const names = input.AlarmNames === undefined ? undefined : stringList(input.AlarmNames, 'alarmNames', 100);
  const prefix = boundedString(input.AlarmNamePrefix, 'alarmNamePrefix', 255, 1);
  if (names && prefix !== undefined) {
    throw invalidCombination('AlarmNamePrefix and AlarmNames cannot be used together.');
  }
  const state = enumValue(input.StateValue, 'stateValue', STATE_VALUES);
  const types = stringList(input.AlarmTypes, 'alarmTypes', 3);
  for (const t of types) enumValue(t, 'alarmTypes', TYPES);
  const wanted = new Set(types.length > 0 ? types : ['MetricAlarm']);
  const max = boundedInt(input.MaxRecords, 'maxRecords', 1, 100) ?? 50;
  const actionPrefix = boundedString(input.ActionPrefix, 'actionPrefix', 1024, 1);
  const children = boundedString(input.ChildrenOfAlarmName, 'childrenOfAlarmName', 255, 1);
  const parentsOf = boundedString(input.ParentsOfAlarmName, 'parentsOfAlarmName', 255, 1);
  if ((children || parentsOf) && (names || prefix || state || actionPrefix)) {
    throw invalidCombination('ChildrenOfAlarmName and ParentsOfAlarmName cannot be used with other filters.');
  }
  const parentSet = parentsOf ? ctx.place.parents.get(parentsOf) : undefined;
  const childOf = children ? ctx.place.alarms.get(children) : undefined;
  const childNames = childOf?.kind === 'CompositeAlarm' ? new Set(ruleNames(childOf.rule)) : undefined;

  const source: Iterable<Alarm> = names
    ? names.flatMap((n) => {
        const a = ctx.place.alarms.get(n);
        return a ? [a] : [];
      })
    : ctx.place.alarms.values();
  const matching: Alarm[] = [];
  for (const alarm of source) {
    if (!wanted.has(alarm.kind)) continue;
    if (prefix !== undefined && !alarm.name.startsWith(prefix)) continue;
    if (state && alarm.state.value !== state) continue;
    if (
      actionPrefix &&
      ![...alarm.alarmActions, ...alarm.okActions, ...alarm.insufficientDataActions].some((a) =>
        a.startsWith(actionPrefix),
      )
    )
      continue;
    if (parentsOf && !parentSet?.has(alarm.name)) continue;
    if (children && !childNames?.has(alarm.name)) continue;
    matching.push(alarm);
  }
  matching.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));

  let start = 0;
  if (input.NextToken !== undefined) {
    const key = typeof input.NextToken === 'string' ? tokens.decode(input.NextToken) : undefined;
    if (key === undefined) throw invalidNextToken();
    start = matching.findIndex((a) => keyOf(a) >= key);
    if (start === -1) start = matching.length;
  }
  const page = matching.slice(start, start + max);
  const next = matching[start + max];
  const out: Record<string, unknown> = {
    MetricAlarms: page.flatMap((a) => (a.kind === 'MetricAlarm' ? [metricAlarmView(a)] : [])),
    CompositeAlarms: page.flatMap((a) => (a.kind === 'CompositeAlarm' ? [compositeAlarmView(a)] : [])),
    // The 3.1164 model has log alarms too; the emulator has none, but answers with the member as AWS does.
    LogAlarms: [],
  };
  if (next) out.NextToken = tokens.encode(keyOf(next));
  return out;
};

/** Names in a rule's text, for ChildrenOfAlarmName (the parsed rule is not needed for that). */
function ruleNames(rule: string): string[] {
  const names: string[] = [];
  const re = /(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("(?:[^"\\]|\\.)*"|[^\s)]+)\s*\)/gi;
  for (const m of rule.matchAll(re)) {
    const raw = m[1] ?? '';
    const name = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    names.push(name.replace(/^arn:[^:]+:cloudwatch:[^:]*:\d{12}:alarm:/, ''));
  }
  return names;
}
