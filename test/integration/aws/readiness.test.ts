import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsReadiness } from '../../../src/adapters/aws/readiness.js';
import type { ReadinessCheck } from '../../../src/adapters/http/readiness.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { botAws } from '../../support/bot-aws.js';

let h: Harness;
let probe: ReadinessCheck;
const closers: (() => void)[] = [];

/** The probes of the test policy (its functions are all in the bot's own account and region): one. */
function probesAt(endpoint: string): ReadinessCheck[] {
  const aws = botAws(endpoint, testPolicy(), { maxAttempts: 1 });
  closers.push(() => aws.close());
  return awsReadiness(aws.clients, aws.fleet);
}

beforeAll(async () => {
  h = await harness();
  const probes = probesAt(h.emulator.url);
  expect(probes.map((p) => p.name)).toEqual(['aws:own/us-east-1']);
  probe = probes[0] as ReadinessCheck;
});

afterAll(async () => {
  for (const close of closers) close();
  await h.close();
});

async function faults(rule: Record<string, unknown>): Promise<void> {
  await h.control('PUT', '/_emulator/faults', { rules: [{ service: 'cloudwatch', operation: '*', ...rule }] });
}

async function describeCalls(): Promise<number> {
  const calls = await h.control<Record<string, number>>('GET', '/_emulator/calls');
  return calls['cloudwatch.DescribeAlarms'] ?? 0;
}

describe('the AWS readiness probe', () => {
  it('is ready when CloudWatch answers', async () => {
    await h.control('DELETE', '/_emulator/faults');
    await expect(probe.check()).resolves.toBeUndefined();
  });

  it('counts a throttled answer as ready, with one attempt and no back-off', async () => {
    await faults({ throttle: 1, retryAfterSeconds: 1 });
    const before = await describeCalls();
    await expect(probe.check()).resolves.toBeUndefined();
    expect((await describeCalls()) - before).toBe(1);
  });

  it('is not ready when AWS fails', async () => {
    await faults({ error5xx: 1 });
    await expect(probe.check()).rejects.toThrow();
    await h.control('DELETE', '/_emulator/faults');
  });

  it('is not ready when nothing answers at the endpoint', async () => {
    const [nowhere] = probesAt('http://127.0.0.1:9');
    await expect(nowhere?.check()).rejects.toThrow();
  });
});
