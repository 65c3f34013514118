/**
 * CloudWatch alarms on Lambda metrics, made and moved through the real SDK against the emulator,
 * as a team's infrastructure code and CloudWatch itself would: for the alarm tests and benchmarks.
 */
import {
  type CloudWatchClient,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';

export interface LambdaAlarm {
  readonly fn: string;
  readonly alias?: string;
  readonly version?: string;
  readonly metric?: 'Errors' | 'Duration' | 'Throttles';
  readonly threshold?: number;
  /** Seconds; default 60. 10 is CloudWatch's shortest (high resolution), for alarms that must move fast. */
  readonly period?: number;
  /**
   * Default `missing`. `ignore` keeps a state set by SetAlarmState on an alarm with no data (else
   * the next evaluation, on the emulator's real clock within the period, turns it to
   * INSUFFICIENT_DATA); `notBreaching` makes an alarm OK until traffic breaches.
   */
  readonly treatMissingData?: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
}

/** An alarm on an AWS/Lambda metric with the dimensions a canary alarm uses. */
export async function putLambdaAlarm(cloudwatch: CloudWatchClient, name: string, a: LambdaAlarm): Promise<void> {
  const metric = a.metric ?? 'Errors';
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [
        { Name: 'FunctionName', Value: a.fn },
        ...(a.alias ? [{ Name: 'Resource', Value: `${a.fn}:${a.alias}` }] : []),
        ...(a.version ? [{ Name: 'ExecutedVersion', Value: a.version }] : []),
      ],
      ...(metric === 'Duration' ? { ExtendedStatistic: 'p99' } : { Statistic: 'Sum' }),
      Period: a.period ?? 60,
      EvaluationPeriods: 1,
      Threshold: a.threshold ?? 10,
      ComparisonOperator: 'GreaterThanThreshold',
      ...(a.treatMissingData ? { TreatMissingData: a.treatMissingData } : {}),
    }),
  );
}

export async function putCompositeAlarm(cloudwatch: CloudWatchClient, name: string, rule: string): Promise<void> {
  await cloudwatch.send(new PutCompositeAlarmCommand({ AlarmName: name, AlarmRule: rule }));
}

/**
 * Moves an alarm as CloudWatch would, with the StateReason and StateReasonData it writes for a
 * threshold crossed (one datapoint, `value`, against `threshold`), or for a datapoint missing.
 */
export async function setAlarm(
  cloudwatch: CloudWatchClient,
  name: string,
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA',
  value = state === 'ALARM' ? 25 : 0,
  threshold = 10,
): Promise<void> {
  const word = state === 'ALARM' ? 'was greater than' : 'was not greater than';
  const missing = state === 'INSUFFICIENT_DATA';
  await cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName: name,
      StateValue: state,
      StateReason: missing
        ? 'Insufficient Data: 1 datapoint was unknown.'
        : `Threshold Crossed: 1 datapoint [${value.toFixed(1)} (26/11/26 14:00:00)] ${word} the threshold (${threshold.toFixed(1)}).`,
      StateReasonData: JSON.stringify({
        version: '1.0',
        queryDate: '2026-11-26T14:01:00.000+0000',
        statistic: 'Sum',
        period: 60,
        recentDatapoints: missing ? [] : [value],
        threshold,
      }),
    }),
  );
}

/** How many DescribeAlarms calls the emulator has answered since its counts were last cleared. */
export async function describeAlarmsCalls(emulatorUrl: string): Promise<number> {
  const res = await fetch(`${emulatorUrl}/_emulator/calls`);
  const calls = (await res.json()) as Record<string, number>;
  return calls['cloudwatch.DescribeAlarms'] ?? 0;
}
