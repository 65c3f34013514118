/**
 * The watch of outside changes through the real adapters (CONTRACT §10): the emulator through the
 * SDK (Lambda, CloudTrail), Redis, the real SlackNotifier to the fake Slack. Someone at the console
 * (an IAM user of the emulator's `principals`) moves an alias: it is found within one watch with
 * their ARN; the bot's own changes are never reported; a CloudTrail that lags updates the alert later.
 */
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/adapters/redis/client.js';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from '../../../src/adapters/slack/retry.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { TEST_POLICY } from '../../support/policy.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';
import { servicesOverRedis } from '../../support/services-over-redis.js';

const MALLORY = 'arn:aws:iam::000000000000:user/mallory';
let h: Harness;
let slack: FakeSlack;
let redis: RedisClient;
let mallory: LambdaClient;
let world: ReturnType<typeof servicesOverRedis>;
const prefix = testPrefix('outside');

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  slack = await FakeSlack.start();
  redis = await connect();
  await seedFunction(h.lambda, { name: 'payments-api', versions: 4, aliases: { prod: '2', staging: '2' } });
  await seedFunction(h.lambda, { name: 'orders-api', versions: 2, aliases: { prod: '1' } });
  await h.control('PUT', '/_emulator/principals', { accessKeyId: 'AKIDMALLORY', arn: MALLORY });
  mallory = new LambdaClient({
    endpoint: h.emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDMALLORY', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const web = new WebClient('xoxb-outside', {
    slackApiUrl: slack.apiUrl,
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
  });
  // The shortest interval the policy allows: the watch spreads its reads over three quarters of it.
  const policy = testPolicy(TEST_POLICY.replace('approval_ttl: 30m', 'approval_ttl: 30m\nwatch_interval: 10s'));
  world = servicesOverRedis({ policy, redis, prefix, endpoint: h.emulator.url, web });
  await watch();
});

afterAll(async () => {
  world?.close();
  mallory?.destroy();
  await cleanup(redis, prefix);
  redis.disconnect();
  await slack.close();
  await h.close();
});

async function watch(): Promise<void> {
  await world.jobs['outside-watch'].run(await world.fence('outside-watch', 'test'));
}

const alerts = () => slack.messages.filter((m) => !m.thread_ts && m.text.startsWith('Changed outside the bot'));

describe('someone at the console moves an alias', () => {
  it('is found at the next watch, with their ARN, and alerted once', async () => {
    await mallory.send(new UpdateAliasCommand({ FunctionName: 'payments-api', Name: 'prod', FunctionVersion: '4' }));
    await watch();
    await watch();
    expect(alerts()).toHaveLength(1);
    const [alert] = alerts();
    expect(alert?.channel).toBe('C0PAYMENTS');
    expect(alert?.text).toContain('prod moved from 100% v2 to 100% v4');
    expect(JSON.stringify(alert?.blocks)).toContain(MALLORY);
  });

  it('the bot’s own changes are never reported', async () => {
    const before = alerts().length;
    await world.services.release.promote(
      { actor: 'U0ALICE', request: 'r-own' },
      { fn: 'payments-api', alias: 'staging' },
      '3',
    );
    await world.services.release.rollback(
      { actor: 'U0ONCALL', request: 'r-own2' },
      { fn: 'payments-api', alias: 'staging' },
      undefined,
      undefined,
    );
    await watch();
    expect(alerts()).toHaveLength(before);
  });

  it('when CloudTrail lags, the alert says it is looking, and names who once the event appears', async () => {
    await h.control('PUT', '/_emulator/cloudtrail', { delayMs: 120_000 });
    try {
      await mallory.send(new UpdateAliasCommand({ FunctionName: 'orders-api', Name: 'prod', FunctionVersion: '2' }));
      await watch();
      const alert = alerts().find((m) => m.text.includes('orders-api'));
      expect(JSON.stringify(alert?.blocks)).toContain('looking up who');
      await h.advance(121_000);
      await watch();
      const updated = alerts().find((m) => m.text.includes('orders-api'));
      expect(JSON.stringify(updated?.blocks)).toContain(MALLORY);
      expect(JSON.stringify(updated?.blocks)).not.toContain('looking up who');
    } finally {
      await h.control('PUT', '/_emulator/cloudtrail', { delayMs: 0 });
    }
  });
});
