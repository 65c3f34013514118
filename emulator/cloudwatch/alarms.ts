import { ACCOUNT_ID } from '../core/region.js';
import { metricAlarmView } from './alarm-view.js';
import type { CloudWatchContext, CloudWatchHandler } from './context.js';
import { invalidCombination, resourceNotFound, validationError } from './errors.js';
import { type Alarm, type ComparisonOperator, type MetricAlarm, STATE_VALUES, type TreatMissingData } from './model.js';
import type { MetricQuery } from './queries.js';
import type { Dimension } from './series.js';
import { changeState } from './transitions.js';
import { boundedInt, boundedString, enumValue, requiredString, stringList } from './validation.js';

const COMPARISONS: readonly string[] = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
const TREATMENTS = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
const EXTENDED = /^p(\d{1,2}(\.\d{0,2})?|100)$/;

/** `arn:aws:cloudwatch:REGION:000000000000:alarm:NAME`. */
export const alarmArn = (region: string, name: string): string =>
  `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${name}`;

/** Writes the ConfigurationUpdate history item for a created, updated or deleted alarm. */
export function recordConfiguration(
  ctx: CloudWatchContext,
  alarm: Alarm,
  type: 'Create' | 'Update' | 'Delete',
  view: object,
): void {
  const verb = type === 'Create' ? 'created' : type === 'Update' ? 'updated' : 'deleted';
  const key = `${verb}Alarm`;
  ctx.region.history.push({
    AlarmName: alarm.name,
    AlarmType: alarm.kind,
    Timestamp: ctx.clock.now(),
    HistoryItemType: 'ConfigurationUpdate',
    HistorySummary: `Alarm "${alarm.name}" ${verb}`,
    HistoryData: JSON.stringify({ version: '1.0', type, [key]: view }),
  });
}

function periodOf(value: unknown): number | undefined {
  const period = boundedInt(value, 'period', 1, 86400 * 7);
  if (period !== undefined && !(period % 60 === 0 || [10, 20, 30].includes(period))) {
    throw validationError('Period must be 10, 20, 30 or a multiple of 60');
  }
  return period;
}

/** PutMetricAlarm: creates an alarm, or overwrites an existing one's configuration (its state is kept). */
export const putMetricAlarm: CloudWatchHandler = (input, ctx) => {
  const name = requiredString(input.AlarmName, 'alarmName', 255);
  const evaluationPeriods = boundedInt(input.EvaluationPeriods, 'evaluationPeriods', 1, 100000);
  if (evaluationPeriods === undefined) requiredString(undefined, 'evaluationPeriods', 1);
  const comparison = enumValue(
    requiredString(input.ComparisonOperator, 'comparisonOperator', 64),
    'comparisonOperator',
    COMPARISONS,
  );
  if (!comparison?.endsWith('Threshold') || comparison.includes('Lower') || comparison.includes('Upper')) {
    throw invalidCombination('Anomaly detection comparison operators are not supported by this emulator.');
  }
  const statistic = enumValue(input.Statistic, 'statistic', STATISTICS);
  const extended = input.ExtendedStatistic === undefined ? undefined : String(input.ExtendedStatistic);
  if (extended !== undefined && !EXTENDED.test(extended)) {
    throw validationError(`The value ${extended} for parameter ExtendedStatistic is not supported.`);
  }
  const metrics = Array.isArray(input.Metrics) ? (input.Metrics as MetricQuery[]) : undefined;
  if (metrics && (input.MetricName !== undefined || statistic || extended)) {
    throw invalidCombination('The parameters MetricName, Statistic and ExtendedStatistic cannot be used with Metrics.');
  }
  if (!metrics && (statistic === undefined) === (extended === undefined)) {
    throw invalidCombination('Exactly one of Statistic and ExtendedStatistic must be specified.');
  }
  if (metrics && metrics.filter((q) => q.ReturnData !== false).length !== 1) {
    throw validationError('Exactly one element of the metrics list should return data.');
  }
  const period = periodOf(input.Period);
  if (!metrics && period === undefined) requiredString(undefined, 'period', 1);
  const datapointsToAlarm = boundedInt(input.DatapointsToAlarm, 'datapointsToAlarm', 1, 100000);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > (evaluationPeriods as number)) {
    throw validationError('DatapointsToAlarm must be less than or equal to EvaluationPeriods');
  }
  const threshold = input.Threshold === undefined ? undefined : Number(input.Threshold);
  if (threshold === undefined) {
    throw validationError(
      "1 validation error detected: Value null at 'threshold' failed to satisfy constraint: Member must not be null",
    );
  }
  const existing = ctx.region.alarms.get(name);
  const now = ctx.clock.now();
  const alarm: MetricAlarm = {
    kind: 'MetricAlarm',
    name,
    arn: alarmArn(ctx.region.region, name),
    region: ctx.region.region,
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
    dimensions: ((input.Dimensions as Dimension[] | undefined) ?? []).map((d) => ({ Name: d.Name, Value: d.Value })),
    evaluationPeriods: evaluationPeriods as number,
    comparison: comparison as ComparisonOperator,
    threshold,
  };
  const optional: Partial<MetricAlarm> = {
    description: boundedString(input.AlarmDescription, 'alarmDescription', 1024),
    namespace: boundedString(input.Namespace, 'namespace', 255, 1),
    metricName: boundedString(input.MetricName, 'metricName', 255, 1),
    statistic,
    extendedStatistic: extended,
    period,
    unit: boundedString(input.Unit, 'unit', 64),
    datapointsToAlarm,
    treatMissingData: enumValue(input.TreatMissingData, 'treatMissingData', TREATMENTS) as TreatMissingData | undefined,
    evaluateLowSampleCountPercentile: boundedString(
      input.EvaluateLowSampleCountPercentile,
      'evaluateLowSampleCountPercentile',
      255,
    ),
    metrics,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (alarm as unknown as Record<string, unknown>)[k] = v;
  if (existing?.kind === 'MetricAlarm') ctx.state.unschedule(existing);
  ctx.region.alarms.set(name, alarm);
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
  const alarm = ctx.region.alarms.get(name);
  // AWS's answer for an unknown alarm carries no message.
  if (!alarm) throw resourceNotFound();
  changeState(ctx.region, alarm, value as Alarm['state']['value'], reason, data, ctx.clock.now());
  return {};
};

/** DeleteAlarms: names that do not exist are ignored. */
export const deleteAlarms: CloudWatchHandler = (input, ctx) => {
  const names = stringList(input.AlarmNames, 'alarmNames', 100);
  for (const name of names) {
    const alarm = ctx.region.alarms.get(name);
    if (!alarm) continue;
    ctx.region.alarms.delete(name);
    if (alarm.kind === 'MetricAlarm') ctx.state.unschedule(alarm);
    for (const parents of ctx.region.parents.values()) parents.delete(name);
    recordConfiguration(ctx, alarm, 'Delete', {});
  }
  return {};
};
