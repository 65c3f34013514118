import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const T0 = Date.parse('2026-11-26T14:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('alarm evaluation on the manual clock (emulator only)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  const put = (value: number, second: number, metric = 'Errors') =>
    h.control('POST', '/_emulator/metrics', {
      namespace: 'App',
      metricName: metric,
      dimensions: { Service: 'pay' },
      value,
      timestamp: at(second),
    });
  const alarm = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}) =>
    h.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'App',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'Service', Value: 'pay' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        ...extra,
      }),
    );
  const describeOne = async (name: string): Promise<MetricAlarm> =>
    (await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0] as MetricAlarm;

  it('goes to ALARM at the period boundary with the reason and reason data AWS writes', async () => {
    await alarm('a');
    await put(25, 30);
    await h.advance(59_000);
    expect((await describeOne('a')).StateValue).toBe('INSUFFICIENT_DATA');
    await h.advance(1000);
    const a = await describeOne('a');
    expect(a.StateValue).toBe('ALARM');
    expect(a.StateReason).toBe(
      'Threshold Crossed: 1 datapoint [25.0 (26/11/26 14:00:00)] was greater than the threshold (10.0).',
    );
    expect(a.StateReasonData).toBe(
      '{"version":"1.0","queryDate":"2026-11-26T14:01:00.000+0000","startDate":"2026-11-26T14:00:00.000+0000","statistic":"Sum","period":60,"recentDatapoints":[25.0],"threshold":10.0,"evaluatedDatapoints":[{"timestamp":"2026-11-26T14:00:00.000+0000","sampleCount":1.0,"value":25.0}]}',
    );
    expect(a.StateUpdatedTimestamp).toEqual(new Date(T0 + 60_000));
    const history = await h.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'a', HistoryItemType: 'StateUpdate' }),
    );
    expect(history.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to ALARM',
    ]);
    expect(JSON.parse(history.AlarmHistoryItems?.[0]?.HistoryData ?? '')).toMatchObject({
      newState: { stateValue: 'ALARM', stateReasonData: { recentDatapoints: [25], threshold: 10 } },
    });
  });

  it('looks back past missing datapoints before treating data as missing, as CloudWatch does', async () => {
    await alarm('stale');
    await put(25, 10);
    await h.advance(60_000);
    expect((await describeOne('stale')).StateValue).toBe('ALARM');
    await h.advance(120_000);
    expect((await describeOne('stale')).StateValue).toBe('ALARM');
    await h.advance(60_000);
    const a = await describeOne('stale');
    expect(a.StateValue).toBe('INSUFFICIENT_DATA');
    expect(a.StateReason).toBe('Insufficient Data: 1 datapoint was unknown.');
  });

  it('M out of N: wording, the datapoints listed newest first, and the minimum for each transition', async () => {
    await alarm('mofn', { EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    for (const [k, v] of [5, 20, 30].entries()) await put(v, k * 60);
    await h.advance(180_000);
    expect((await describeOne('mofn')).StateReason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [30.0 (26/11/26 14:02:00), 20.0 (26/11/26 14:01:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    for (const [k, v] of [1, 2, 3].entries()) await put(v, 180 + k * 60);
    await h.advance(60_000);
    // 14:04 still sees 30 and 20 among the last three: ALARM holds.
    expect((await describeOne('mofn')).StateValue).toBe('ALARM');
    await h.advance(60_000);
    const ok = await describeOne('mofn');
    expect(ok.StateValue).toBe('OK');
    expect(ok.StateReason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [2.0 (26/11/26 14:04:00), 1.0 (26/11/26 14:03:00)] were not greater than the threshold (10.0) (minimum 2 datapoints for ALARM -> OK transition).',
    );
    await h.advance(60_000);
    expect((await describeOne('mofn')).StateReason).toBe(ok.StateReason);
  });

  it('treats missing data as AWS does: missing, breaching, notBreaching, ignore', async () => {
    await alarm('m', { EvaluationPeriods: 2, TreatMissingData: 'missing' });
    await alarm('b', { EvaluationPeriods: 2, TreatMissingData: 'breaching' });
    await alarm('n', { EvaluationPeriods: 2, TreatMissingData: 'notBreaching' });
    await alarm('i', { EvaluationPeriods: 2, TreatMissingData: 'ignore' });
    // A state is only rewritten when it changes, so start 'm' from OK to see its INSUFFICIENT_DATA reason.
    await h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'm', StateValue: 'OK', StateReason: 'start' }));
    await h.advance(60_000);
    const [m, b, n, i] = await Promise.all(['m', 'b', 'n', 'i'].map(describeOne));
    expect(m?.StateValue).toBe('INSUFFICIENT_DATA');
    expect(m?.StateReason).toBe('Insufficient Data: 2 datapoints were unknown.');
    expect(b?.StateReason).toBe(
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].',
    );
    expect(b?.StateValue).toBe('ALARM');
    expect(n?.StateValue).toBe('OK');
    expect(n?.StateReason).toContain('treated as [NonBreaching].');
    expect(JSON.parse(n?.StateReasonData ?? '{}')).toMatchObject({
      recentDatapoints: [],
      evaluatedDatapoints: [{}, {}],
    });
    expect(i).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });
  });

  it('supports high-resolution periods, evaluated every period', async () => {
    await alarm('fast', { Period: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 3 });
    await put(3, 5);
    await h.advance(10_000);
    expect((await describeOne('fast')).StateReason).toBe(
      'Threshold Crossed: 1 datapoint [3.0 (26/11/26 14:00:00)] was greater than or equal to the threshold (3.0).',
    );
  });

  it('SetAlarmState holds until the next evaluation changes it', async () => {
    await alarm('manual', { TreatMissingData: 'notBreaching' });
    await h.advance(60_000);
    expect((await describeOne('manual')).StateValue).toBe('OK');
    await h.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    await h.advance(59_000);
    expect((await describeOne('manual')).StateReason).toBe('drill');
    await h.advance(1000);
    expect((await describeOne('manual')).StateValue).toBe('OK');
  });

  it('evaluates percentiles (ExtendedStatistic) and metric math alarms', async () => {
    await alarm('p90', { Statistic: undefined, ExtendedStatistic: 'p90', MetricName: 'Latency', Threshold: 80 });
    await h.control('POST', '/_emulator/metrics', {
      namespace: 'App',
      metricName: 'Latency',
      dimensions: { Service: 'pay' },
      values: Array.from({ length: 100 }, (_, k) => k + 1),
      timestamp: at(0),
    });
    await put(30, 0);
    await put(200, 0, 'Calls');
    await h.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'rate',
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          {
            Id: 'e',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'pay' }] },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'c',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'App', MetricName: 'Calls', Dimensions: [{ Name: 'Service', Value: 'pay' }] },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'r', Expression: '100*e/c', ReturnData: true },
        ],
      }),
    );
    await h.advance(60_000);
    expect((await describeOne('p90')).StateReason).toBe(
      'Threshold Crossed: 1 datapoint [90.0 (26/11/26 14:00:00)] was greater than the threshold (80.0).',
    );
    expect((await describeOne('rate')).StateValue).toBe('ALARM');
  });

  it('a composite alarm follows a child that changes state by evaluation', async () => {
    await alarm('child');
    await alarm('sibling');
    await h.cloudwatch.send(
      new PutCompositeAlarmCommand({ AlarmName: 'parent', AlarmRule: 'ALARM(child) OR ALARM(sibling)' }),
    );
    const composite = async () =>
      (await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['parent'], AlarmTypes: ['CompositeAlarm'] })))
        .CompositeAlarms?.[0];
    expect(await composite()).toMatchObject({
      StateValue: 'OK',
      StateReason:
        'arn:aws:cloudwatch:us-east-1:000000000000:alarm:parent was created and its alarm rule evaluates to OK',
    });
    await put(50, 0);
    await h.advance(60_000);
    const parent = await composite();
    expect(parent?.StateValue).toBe('ALARM');
    expect(parent?.StateReason).toBe(
      'arn:aws:cloudwatch:us-east-1:000000000000:alarm:child transitioned to ALARM at Thursday 26 November, 2026 14:01:00 UTC',
    );
    expect(JSON.parse(parent?.StateReasonData ?? '{}')).toEqual({
      triggeringAlarms: [
        {
          arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:child',
          state: { value: 'ALARM', timestamp: '2026-11-26T14:01:00.000+0000' },
        },
      ],
    });
    const history = await h.cloudwatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'parent',
        AlarmTypes: ['CompositeAlarm'],
        HistoryItemType: 'StateUpdate',
      }),
    );
    expect(history.AlarmHistoryItems?.map((i) => [i.AlarmType, i.HistorySummary])).toEqual([
      ['CompositeAlarm', 'Alarm updated from OK to ALARM'],
      ['CompositeAlarm', 'Alarm updated from INSUFFICIENT_DATA to OK'],
    ]);
  });
});
