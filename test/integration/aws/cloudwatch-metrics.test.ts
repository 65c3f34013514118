import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.js';
import type { CloudWatchMetrics } from '../../../src/adapters/aws/cloudwatch-metrics.js';
import type { Target } from '../../../src/domain/target.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { botAws } from '../../support/bot-aws.js';
import { credentials } from '../../support/world.js';

let emulator: RunningEmulator;
let lambda: LambdaClient;
let metrics: CloudWatchMetrics;
let aws: ReturnType<typeof botAws>;
let payments: Target;
const start = '2026-11-26T14:00:00.000Z';

async function control(method: string, path: string, body?: unknown) {
  const r = await fetch(`${emulator.url}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
  return r.json();
}

beforeAll(async () => {
  emulator = await startEmulator({ clock: 'manual' });
  await control('POST', '/_emulator/clock', { mode: 'manual', now: start });
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  lambda = new LambdaClient(config);
  aws = botAws(emulator.url, testPolicy(), { maxAttempts: 1 });
  metrics = aws.metrics;
  payments = aws.fleet.named('payments-api');
  await seedFunction(lambda, { name: 'payments-api', versions: 4, aliases: { prod: '3' } });
  await lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'payments-api',
      Name: 'prod',
      FunctionVersion: '3',
      RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } },
    }),
  );
  await control('PUT', '/_emulator/traffic', {
    function: 'payments-api',
    alias: 'prod',
    rps: 50,
    versions: { '3': { errorRate: 0.01, durationMs: 100 }, '4': { errorRate: 0.2, durationMs: 300 } },
  });
  await control('POST', '/_emulator/clock/advance', { ms: 120_000 });
});

afterAll(async () => {
  aws.close();
  lambda.destroy();
  await emulator.close();
});

describe('CloudWatchMetrics (GetMetricData on ExecutedVersion)', () => {
  it('reads invocations, errors, p99 and per-minute error rates of both versions in one call', async () => {
    await control('DELETE', '/_emulator/calls');
    const stats = await metrics.versions(
      payments,
      'prod',
      ['4', '3'],
      new Date(start),
      new Date(Date.parse(start) + 120_000),
    );
    const canary = stats.get('4');
    const baseline = stats.get('3');
    expect(canary).toMatchObject({ invocations: 600, errors: 120 });
    expect(baseline).toMatchObject({ invocations: 5400, errors: 54 });
    expect(canary?.p99Ms).toBeGreaterThan(baseline?.p99Ms ?? Number.POSITIVE_INFINITY);
    expect(canary?.errorRates.filter((r) => r !== undefined).map((r) => Math.round((r ?? 0) * 100))).toEqual([20, 20]);
    expect(await control('GET', '/_emulator/calls')).toEqual({ 'cloudwatch.GetMetricData': 1 });
  });

  it('a version with no traffic has no p99 and no rates', async () => {
    const stats = await metrics.versions(
      payments,
      'prod',
      ['2'],
      new Date(start),
      new Date(Date.parse(start) + 120_000),
    );
    expect(stats.get('2')).toMatchObject({ invocations: 0, errors: 0 });
    expect(stats.get('2')?.p99Ms).toBeUndefined();
  });
});
