import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const dims = (version: string) => [
  { Name: 'FunctionName', Value: 'payments-api' },
  { Name: 'Resource', Value: 'payments-api:prod' },
  { Name: 'ExecutedVersion', Value: version },
];

/** The scenario the bot automates: a canary on a weighted alias, an alarm on the new version, a rollback. */
describe('a canary and its rollback, end to end (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'payments-api',
        Role: 'arn:aws:iam::000000000000:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from('v1') },
      }),
    );
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'payments-api' }));
    await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'payments-api', ZipFile: Buffer.from('v2') }));
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'payments-api' }));
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'payments-api', Name: 'prod', FunctionVersion: '1' }));
    await h.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'payments-api-canary-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: dims('2'),
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await h.control('PUT', '/_emulator/traffic', {
      function: 'payments-api',
      alias: 'prod',
      rps: 50,
      versions: { '1': { errorRate: 0.01, durationMs: 120 }, '2': { errorRate: 0.2, durationMs: 300 } },
    });
  });
  afterAll(() => h.close());

  const state = async () =>
    (await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['payments-api-canary-errors'] })))
      .MetricAlarms?.[0];

  it('stays OK while the canary gets no traffic, then alarms once 10% goes to the bad version', async () => {
    await h.advance(60_000);
    expect((await state())?.StateValue).toBe('OK');
    await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'payments-api',
        Name: 'prod',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    await h.advance(60_000);
    const alarm = await state();
    expect(alarm?.StateValue).toBe('ALARM');
    // 50 rps × 10% × 60 s × 20% errors = 60 errors in the minute.
    expect(alarm?.StateReason).toBe(
      'Threshold Crossed: 1 out of the last 1 datapoints [60.0 (26/11/26 14:01:00)] was greater than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
  });

  it('gives the error rates a judge compares, canary against baseline', async () => {
    const out = await h.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date('2026-11-26T14:01:00Z'),
        EndTime: new Date('2026-11-26T14:02:00Z'),
        MetricDataQueries: [
          {
            Id: 'eN',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims('2') },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'iN',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims('2') },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'eO',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims('1') },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'iO',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims('1') },
              Period: 60,
              Stat: 'Sum',
            },
          },
          { Id: 'canaryRate', Expression: '100*eN/iN' },
          { Id: 'baseRate', Expression: '100*eO/iO' },
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Values])).toEqual([
      ['canaryRate', [20]],
      ['baseRate', [1]],
    ]);
  });

  it('returns to OK after the rollback, once the evaluation range holds no canary datapoint', async () => {
    await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'payments-api',
        Name: 'prod',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    await h.advance(120_000);
    expect((await state())?.StateValue).toBe('ALARM');
    await h.advance(60_000);
    const alarm = await state();
    expect(alarm?.StateValue).toBe('OK');
    expect(alarm?.StateReason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    );
    const history = await h.cloudwatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'payments-api-canary-errors',
        HistoryItemType: 'StateUpdate',
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(history.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
  });
});
