import type { Place } from '../core/place.js';
import { invalidCombination, validationError } from './errors.js';
import type { AlarmState, ComparisonOperator, MetricAlarm, TreatMissingData } from './model.js';
import type { MetricQuery } from './queries.js';
import type { Dimension } from './series.js';
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

/** Alarm periods: 10, 20 and 30 s for high-resolution metrics, otherwise multiples of a minute. */
function periodOf(value: unknown): number | undefined {
  const period = boundedInt(value, 'period', 1, 86400 * 7);
  if (period !== undefined && !(period % 60 === 0 || [10, 20, 30].includes(period))) {
    throw validationError('Period must be 10, 20, 30 or a multiple of 60');
  }
  return period;
}

/**
 * Reads and validates a PutMetricAlarm input into an alarm. `state` is the state of the alarm it replaces, if any:
 * an update overwrites the whole configuration but keeps the state, as in AWS.
 */
export function readMetricAlarm(
  input: Record<string, unknown>,
  place: Place,
  now: number,
  state: AlarmState | undefined,
): MetricAlarm {
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
  const alarm: MetricAlarm = {
    kind: 'MetricAlarm',
    name,
    arn: alarmArn(place, name),
    place,
    actionsEnabled: input.ActionsEnabled !== false,
    okActions: stringList(input.OKActions, 'oKActions', 5),
    alarmActions: stringList(input.AlarmActions, 'alarmActions', 5),
    insufficientDataActions: stringList(input.InsufficientDataActions, 'insufficientDataActions', 5),
    configUpdatedAt: now,
    state: state ?? {
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
  return Object.assign(alarm, definedOnly(optional));
}

/** `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`. */
export const alarmArn = (p: Place, name: string): string => `arn:aws:cloudwatch:${p.region}:${p.account}:alarm:${name}`;

/** The members of `values` that are set; optional members AWS leaves out of its answers stay absent. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
