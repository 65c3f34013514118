import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

/** Markers name the next item, not an offset: deleting an item between two pages skips nothing. */
describe('pagination markers (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());

  it('ListVersionsByFunction: a deletion between pages does not skip a version', async () => {
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'p',
        Role: 'arn:aws:iam::000000000000:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from('p') },
      }),
    );
    for (let i = 1; i <= 5; i++) {
      await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'p', Timeout: i + 1 }));
      await h.lambda.send(new PublishVersionCommand({ FunctionName: 'p' }));
    }
    const first = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'p', MaxItems: 3 }));
    expect(first.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    expect(first.NextMarker).not.toMatch(/^\d+$/);
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'p', Qualifier: '2' }));
    const second = await h.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'p', MaxItems: 3, Marker: first.NextMarker }),
    );
    expect(second.Versions?.map((v) => v.Version)).toEqual(['3', '4', '5']);
    expect(second.NextMarker).toBeUndefined();
  });

  it('DescribeAlarms: a deletion between pages does not skip an alarm', async () => {
    for (const n of ['a', 'b', 'c', 'd']) {
      await h.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: n,
          MetricName: 'm',
          Namespace: 'n',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    const first = await h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 2 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a', 'b']);
    await h.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['b'] }));
    const second = await h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 2, NextToken: first.NextToken }));
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['c', 'd']);
    expect(second.NextToken).toBeUndefined();
  });

  it('DescribeAlarmHistory pages newest first, or oldest first with ScanBy', async () => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await h.cloudwatch.send(
        new DescribeAlarmHistoryCommand({
          HistoryItemType: 'ConfigurationUpdate',
          MaxRecords: 2,
          NextToken: token,
          ScanBy: 'TimestampAscending',
        }),
      );
      pages.push((page.AlarmHistoryItems ?? []).map((i) => i.HistorySummary as string));
      token = page.NextToken;
    } while (token);
    expect(pages).toEqual([
      ['Alarm "a" created', 'Alarm "b" created'],
      ['Alarm "c" created', 'Alarm "d" created'],
      ['Alarm "b" deleted'],
    ]);
    const newest = await h.cloudwatch.send(new DescribeAlarmHistoryCommand({ MaxRecords: 1 }));
    expect(newest.AlarmHistoryItems?.[0]?.HistorySummary).toBe('Alarm "b" deleted');
  });
});
