import { GetMetricDataCommand, type MetricDataQuery, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { expect, it } from 'vitest';
import { conformance, failure } from './support/contract.js';
import { eventually } from './support/eventually.js';
import type { Target } from './support/target.js';

/** A whole minute a few minutes ago, so that both AWS and the emulator accept and settle the data. */
function minuteAgo(minutes: number): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 - minutes * 60_000);
}

const stat = (
  id: string,
  metric: string,
  dims: Record<string, string>,
  statName: string,
  returnData = true,
): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'Conformance',
      MetricName: metric,
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: 60,
    Stat: statName,
  },
  ReturnData: returnData,
});

async function query(target: Target, queries: MetricDataQuery[], start: Date, end: Date, scan?: 'TimestampAscending') {
  const out = await target.cloudwatch.send(
    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: scan }),
  );
  return out;
}

conformance('CloudWatch metrics', (ctx) => {
  it('GetMetricData computes Sum, Average, SampleCount, Minimum, Maximum and percentiles per period', async () => {
    const { target } = ctx;
    const dims = { Run: target.unique('stats') };
    const t = minuteAgo(5);
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    await target.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Conformance',
        MetricData: [
          { MetricName: 'Latency', Dimensions: [{ Name: 'Run', Value: dims.Run }], Timestamp: t, Values: values },
        ],
      }),
    );
    const stats = ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum', 'p50', 'p99'];
    const out = await eventually(async () => {
      const o = await query(
        target,
        stats.map((s, i) => stat(`s${i}`, 'Latency', dims, s)),
        t,
        new Date(t.getTime() + 60_000),
      );
      expect(o.MetricDataResults?.[0]?.Values).toHaveLength(1);
      return o;
    });
    expect(out.Messages).toEqual([]);
    const byStat = Object.fromEntries(out.MetricDataResults?.map((r, i) => [stats[i], r.Values?.[0]]) ?? []);
    expect(byStat).toMatchObject({ Sum: 5050, Average: 50.5, SampleCount: 100, Minimum: 1, Maximum: 100 });
    expect(byStat.p50).toBeCloseTo(50, 0);
    expect(byStat.p99).toBeCloseTo(99, 0);
    expect(out.MetricDataResults?.[0]).toMatchObject({
      Id: 's0',
      Label: 'Latency',
      StatusCode: 'Complete',
      Timestamps: [t],
    });
  });

  it('expressions compute rates from other queries, aligned by timestamp; ReturnData false hides inputs', async () => {
    const { target } = ctx;
    const dims = { Run: target.unique('rate') };
    const t0 = minuteAgo(6);
    const t1 = new Date(t0.getTime() + 60_000);
    const datum = (MetricName: string, Timestamp: Date, Value: number) => ({
      MetricName,
      Timestamp,
      Value,
      Dimensions: [{ Name: 'Run', Value: dims.Run }],
    });
    await target.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Conformance',
        MetricData: [
          datum('Invocations', t0, 200),
          datum('Errors', t0, 10),
          datum('Invocations', t1, 50),
          datum('Errors', t1, 0),
        ],
      }),
    );
    const queries = [
      stat('e', 'Errors', dims, 'Sum', false),
      stat('i', 'Invocations', dims, 'Sum', false),
      { Id: 'rate', Expression: '100*e/i', Label: 'Error rate' },
      { Id: 'scaled', Expression: '(e + 1) * 2 - i / 50' },
    ];
    const out = await eventually(async () => {
      const o = await query(target, queries, t0, new Date(t1.getTime() + 60_000), 'TimestampAscending');
      expect(o.MetricDataResults?.[0]?.Values).toHaveLength(2);
      return o;
    });
    expect(out.MetricDataResults?.map((r) => r.Id)).toEqual(['rate', 'scaled']);
    expect(out.MetricDataResults?.[0]).toMatchObject({ Label: 'Error rate', Timestamps: [t0, t1], Values: [5, 0] });
    expect(out.MetricDataResults?.[1]?.Values).toEqual([18, 1]);
  });

  it('StartTime is inclusive, EndTime exclusive, newest first by default', async () => {
    const { target } = ctx;
    const dims = { Run: target.unique('range') };
    const base = minuteAgo(10);
    await target.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Conformance',
        MetricData: [0, 1, 2].map((k) => ({
          MetricName: 'Count',
          Dimensions: [{ Name: 'Run', Value: dims.Run }],
          Timestamp: new Date(base.getTime() + k * 60_000),
          Value: k + 1,
        })),
      }),
    );
    const out = await eventually(async () => {
      const o = await query(target, [stat('c', 'Count', dims, 'Sum')], base, new Date(base.getTime() + 2 * 60_000));
      expect(o.MetricDataResults?.[0]?.Values).toHaveLength(2);
      return o;
    });
    expect(out.MetricDataResults?.[0]?.Values).toEqual([2, 1]);
  });

  it('accepts a large (gzip-compressed) PutMetricData body', async () => {
    const { target } = ctx;
    const dims = { Run: target.unique('gzip') };
    const t = minuteAgo(4);
    const values = Array.from({ length: 150 }, (_, i) => i * 1.5);
    await target.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'Conformance',
        MetricData: Array.from({ length: 20 }, (_, k) => ({
          MetricName: 'Big',
          Dimensions: [{ Name: 'Run', Value: dims.Run }],
          Timestamp: t,
          Values: values.map((v) => v + k),
        })),
      }),
    );
    const out = await eventually(async () => {
      const o = await query(target, [stat('n', 'Big', dims, 'SampleCount')], t, new Date(t.getTime() + 60_000));
      expect(o.MetricDataResults?.[0]?.Values).toEqual([3000]);
      return o;
    });
    expect(out.MetricDataResults?.[0]?.StatusCode).toBe('Complete');
  });

  it('refuses PutMetricData into an AWS/ namespace', async () => {
    const { target } = ctx;
    const e = await failure(() =>
      target.cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'Errors', Value: 1 }] }),
      ),
    );
    expect(e).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
  });
});
