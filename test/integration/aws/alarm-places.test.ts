/**
 * The order the alarm sweep takes places in, against the emulator through the real SDK: with more
 * places than it sweeps at once, the places that took the most calls last time start first, so
 * that a big place never waits for a slot behind smaller ones (bench/alarm-places.ts measures it).
 * Which places started first is read from a fault on the first four DescribeAlarms calls: each
 * worker's first call is the first page of the place it took, so those four places are the ones
 * that fail.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { putLambdaAlarm } from '../../support/alarms.js';
import { botAws } from '../../support/bot-aws.js';

/** Six regions of the bot's own account, in policy order, and the alarms in each: 1, 1, 2, 1, 3, 1 pages. */
const PLACES: readonly [string, number][] = [
  ['us-east-1', 1],
  ['eu-west-1', 1],
  ['eu-central-1', 101],
  ['us-west-2', 1],
  ['ap-southeast-2', 201],
  ['sa-east-1', 1],
];

let h: Harness;
let aws: ReturnType<typeof botAws>;

beforeAll(async () => {
  h = await harness();
  for (const [region, n] of PLACES) {
    const cloudwatch = new CloudWatchClient({
      endpoint: h.emulator.url,
      region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    for (let a = 0; a < n; a += 25) {
      const batch = Array.from({ length: Math.min(25, n - a) }, (_, k) =>
        putLambdaAlarm(cloudwatch, `alarm-${a + k}`, { fn: 'payments-api', alias: 'live' }),
      );
      await Promise.all(batch);
    }
    cloudwatch.destroy();
  }
  const functions = PLACES.map(
    ([region], i) => `  fn-${i}: { region: ${region}, name: payments-api, aliases: { live: {} } }`,
  );
  const parsed = parsePolicy(
    `channels: { approvals: C0APPROVALS, alerts: C0ALERTS }\nroles: { deployers: [], approvers: [], responders: [] }\nfunctions:\n${functions.join('\n')}\n`,
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  aws = botAws(h.emulator.url, parsed.policy, { maxAttempts: 1 });
});

afterAll(async () => {
  aws?.close();
  await h.close();
});

/** The regions whose sweep started first: the first four calls fail (slowly, so that all four are in before any answer). */
async function startedFirst(): Promise<string[]> {
  await h.control('PUT', '/_emulator/faults', {
    rules: [{ service: 'cloudwatch', operation: 'DescribeAlarms', error5xx: 1, times: 4, latencyMs: 20 }],
  });
  try {
    const sweep = await aws.alarms.sweep();
    return sweep.failed.map((f) => f.place.region).sort();
  } finally {
    await h.control('DELETE', '/_emulator/faults');
  }
}

describe('the order of places in a sweep', () => {
  it('policy order until the places have been swept, then the most calls first', async () => {
    expect(await startedFirst()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
    const sweep = await aws.alarms.sweep();
    expect(sweep.failed).toEqual([]);
    expect(sweep.alarms).toHaveLength(306);
    // 3 calls, 2, then the one-call places in policy order.
    expect(await startedFirst()).toEqual(['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1']);
  });
});
