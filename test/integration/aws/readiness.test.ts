import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsReadiness } from '../../../src/adapters/aws/readiness.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';

let h: Harness;
let probe: ReturnType<typeof awsReadiness>;

beforeAll(async () => {
  // The probe builds its client as the bot does, from the standard environment.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  h = await harness();
  probe = awsReadiness({ region: 'us-east-1', endpoint: h.emulator.url });
});

afterAll(async () => {
  probe.close();
  await h.close();
  vi.unstubAllEnvs();
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
    const nowhere = awsReadiness({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    await expect(nowhere.check()).rejects.toThrow();
    nowhere.close();
  });
});
