import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';
const T0 = Date.parse('2026-11-26T14:00:00Z');
const minute = (k: number) => new Date(T0 + k * 60_000);

/** A function `pay` with versions 1 and 2 and an alias `prod` on 1 sending `weight` to 2. */
async function setUp(h: Harness, weight: number): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'pay',
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'i.h',
      Code: { ZipFile: Buffer.from('p') },
    }),
  );
  await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
  await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pay', Timeout: 9 }));
  await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
  await h.lambda.send(
    new CreateAliasCommand({
      FunctionName: 'pay',
      Name: 'prod',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': weight } },
    }),
  );
}

function q(id: string, metric: string, stat: string, version?: string, resource = true): MetricDataQuery {
  const dims = [{ Name: 'FunctionName', Value: 'pay' }];
  if (resource) dims.push({ Name: 'Resource', Value: 'pay:prod' });
  if (version) dims.push({ Name: 'ExecutedVersion', Value: version });
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dims }, Period: 60, Stat: stat },
  };
}

async function values(
  h: Harness,
  queries: MetricDataQuery[],
  from = minute(0),
  to = minute(1),
): Promise<Record<string, number[]>> {
  const out = await h.cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: from,
      EndTime: to,
      ScanBy: 'TimestampAscending',
    }),
  );
  return Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values ?? []]));
}

describe('traffic simulation (emulator only)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ seed: 7 });
  });
  afterEach(() => h.close());

  it('splits invocations by the alias weights, with exact counts and error counts, under all three dimension sets', async () => {
    await setUp(h, 0.1);
    await h.control('PUT', '/_emulator/traffic', {
      function: 'pay',
      alias: 'prod',
      rps: 50,
      versions: { '1': { errorRate: 0.01, durationMs: 120 }, '2': { errorRate: 0.2, durationMs: 300 } },
    });
    await h.advance(60_000);
    const v = await values(h, [
      q('i1', 'Invocations', 'Sum', '1'),
      q('i2', 'Invocations', 'Sum', '2'),
      q('e1', 'Errors', 'Sum', '1'),
      q('e2', 'Errors', 'Sum', '2'),
      q('alias', 'Invocations', 'Sum'),
      q('fn', 'Invocations', 'Sum', undefined, false),
      q('rate2', 'Errors', 'Average', '2'),
      { Id: 'pct', Expression: '100*e2/i2' },
    ]);
    expect(v).toMatchObject({
      i1: [2700],
      i2: [300],
      e1: [27],
      e2: [60],
      alias: [3000],
      fn: [3000],
      rate2: [0.2],
      pct: [20],
    });
  });

  it('writes Duration as a distribution: Average near the configured duration, a right tail for p99', async () => {
    await setUp(h, 0.5);
    await h.control('PUT', '/_emulator/traffic', {
      function: 'pay',
      alias: 'prod',
      rps: 40,
      versions: { '1': { errorRate: 0, durationMs: 100 }, '2': { errorRate: 0, durationMs: 400 } },
    });
    await h.advance(5 * 60_000);
    const v = await values(
      h,
      [q('avg1', 'Duration', 'Average', '1'), q('p991', 'Duration', 'p99', '1'), q('avg2', 'Duration', 'Average', '2')],
      minute(0),
      minute(5),
    );
    expect(v.avg1).toHaveLength(5);
    for (const avg of v.avg1 ?? []) expect(Math.abs(avg - 100)).toBeLessThan(10);
    for (const avg of v.avg2 ?? []) expect(Math.abs(avg - 400)).toBeLessThan(40);
    for (const [i, p99] of (v.p991 ?? []).entries()) expect(p99).toBeGreaterThan((v.avg1?.[i] ?? 0) * 1.3);
  });

  it('an UpdateAlias changes the split from the next second on', async () => {
    await setUp(h, 0.1);
    await h.control('PUT', '/_emulator/traffic', { function: 'pay', alias: 'prod', rps: 10 });
    await h.advance(30_000);
    await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'pay',
        Name: 'prod',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );
    await h.advance(30_000);
    const v = await values(h, [q('i1', 'Invocations', 'Sum', '1'), q('i2', 'Invocations', 'Sum', '2')]);
    expect(v).toEqual({ i1: [270 + 150], i2: [30 + 150] });
  });

  it('carries fractional invocations forward, so low rates are exact over time', async () => {
    await setUp(h, 0);
    await h.control('PUT', '/_emulator/traffic', {
      function: 'pay',
      alias: 'prod',
      rps: 0.5,
      default: { errorRate: 0.1, durationMs: 50 },
    });
    await h.advance(120_000);
    const v = await values(h, [q('i', 'Invocations', 'Sum', '1'), q('e', 'Errors', 'Sum', '1')], minute(0), minute(2));
    expect(v.i).toEqual([30, 30]);
    expect((v.e ?? []).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number) => {
      const other = await harness({ seed });
      await setUp(other, 0.2);
      await other.control('PUT', '/_emulator/traffic', { function: 'pay', alias: 'prod', rps: 20 });
      await other.advance(60_000);
      const v = await values(other, [q('p90', 'Duration', 'p90', '1'), q('avg', 'Duration', 'Average')]);
      await other.close();
      return v;
    };
    expect(await run(3)).toEqual(await run(3));
    expect(await run(3)).not.toEqual(await run(4));
  });

  it('stops when the alias is deleted or the simulation removed; bursts write at once', async () => {
    await setUp(h, 0);
    await h.control('PUT', '/_emulator/traffic', { function: 'pay', alias: 'prod', rps: 1 });
    await h.advance(10_000);
    expect(await h.control('GET', '/_emulator/traffic')).toMatchObject({
      simulations: [{ function: 'pay', alias: 'prod', rps: 1 }],
    });
    await h.control('DELETE', '/_emulator/traffic?function=pay&alias=prod');
    await h.advance(10_000);
    await h.control('POST', '/_emulator/invoke', { function: 'pay', alias: 'prod', count: 7 });
    await h.lambda.send(new DeleteAliasCommand({ FunctionName: 'pay', Name: 'prod' }));
    await expect(h.control('POST', '/_emulator/invoke', { function: 'pay', alias: 'prod', count: 1 })).rejects.toThrow(
      /404/,
    );
    const v = await values(h, [q('i', 'Invocations', 'Sum', '1')]);
    expect(v.i).toEqual([17]);
  });
});
