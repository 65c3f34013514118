/**
 * An alarm storm through the real adapters: 50 alarms on one alias go into ALARM at once
 * (CloudWatch adapter on the emulator), alerts are recorded in Redis, posted by the real
 * SlackNotifier and WebClient to the fake Slack, which answers 429 for a while. Every alarm must
 * get exactly one message; then, back to OK, exactly one reply in each thread.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateAliasCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { WebClient, WebClientEvent } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from '../../../src/adapters/slack/retry.js';
import { parsePolicy } from '../../../src/config/policy.js';
import type { Clock } from '../../../src/ports.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { putLambdaAlarm, setAlarm } from '../../support/alarms.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';
import { servicesOverRedis } from '../../support/services-over-redis.js';

const STORM = 50;
const CHANNEL = 'C0STORM';
/** The notifier's pacing (1.1 s a post per channel) runs 20 times faster here, so 50 posts take ~3 s, not a minute. */
const PACING_SPEED_UP = 20;

const POLICY = `
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
alarm_poll_interval: 5s
roles: { deployers: [U0ALICE], approvers: [], responders: [] }
functions:
  storm-api:
    alerts_channel: ${CHANNEL}
    aliases: { live: {} }
`;

let h: Harness;
let slack: FakeSlack;
let redis: Redis;
const prefix = testPrefix('storm');

beforeAll(async () => {
  h = await harness();
  slack = await FakeSlack.start();
  redis = await connect();
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'storm-api',
      Role: 'arn:aws:iam::000000000000:role/r',
      Runtime: 'nodejs20.x',
      Handler: 'i.h',
      Code: { ZipFile: Buffer.from('storm') },
      Publish: true,
    }),
  );
  await h.lambda.send(new CreateAliasCommand({ FunctionName: 'storm-api', Name: 'live', FunctionVersion: '1' }));
  for (let i = 0; i < STORM; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        putLambdaAlarm(h.cloudwatch, `storm-${String(i + k).padStart(2, '0')}`, { fn: 'storm-api', alias: 'live' }),
      ),
    );
  }
});

afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
  await slack.close();
  await h.close();
});

function rig() {
  const parsed = parsePolicy(POLICY);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const pacing: Clock = { now: () => new Date(), sleep: (ms) => sleep(ms / PACING_SPEED_UP) };
  // Built as the composition root builds it.
  const web = new WebClient('xoxb-storm', {
    slackApiUrl: slack.apiUrl,
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
  });
  let rateLimited = 0;
  web.on(WebClientEvent.RATE_LIMITED, () => rateLimited++);
  const world = servicesOverRedis({
    policy: parsed.policy,
    redis,
    prefix,
    endpoint: h.emulator.url,
    web,
    pacing,
  });
  const poll = async () => world.jobs['alarm-poller'].run(await world.fence('alarm-poller', 'storm', 15_000));
  /** Polls as the leader job would, until `done` or 20 polls. */
  const pollUntil = async (done: () => boolean) => {
    for (let i = 0; i < 20 && !done(); i++) await poll();
  };
  const polls = async (n: number) => {
    for (let i = 0; i < n; i++) await poll();
  };
  return { audit: world.stores.audit, pollUntil, polls, rateLimited: () => rateLimited };
}

const posts = () => slack.messages.filter((m) => m.channel === CHANNEL && !m.thread_ts);

describe('an alarm storm', () => {
  it('50 alarms at once, with Slack answering 429 for a while: one message per alarm, none lost', async () => {
    const r = rig();
    await r.polls(1);
    for (let i = 0; i < STORM; i++) await setAlarm(h.cloudwatch, `storm-${String(i).padStart(2, '0')}`, 'ALARM');
    slack.rateLimit('chat.postMessage', 3, 1);
    await r.pollUntil(() => posts().length >= STORM);
    // Two more polls: nothing more is posted.
    await r.polls(2);
    const names = posts().map((m) => /storm-\d\d/.exec(m.text)?.[0]);
    expect(names).toHaveLength(STORM);
    expect(new Set(names).size).toBe(STORM);
    expect(r.rateLimited()).toBe(3);
    const records = [];
    for await (const record of r.audit.export({ fn: 'storm-api' })) records.push(record);
    expect(records.filter((x) => x.action === 'alarm.alert')).toHaveLength(STORM);
  }, 60_000);

  it('back to OK: one reply in each alert’s thread, each alert marked resolved', async () => {
    const r = rig();
    for (let i = 0; i < STORM; i++) await setAlarm(h.cloudwatch, `storm-${String(i).padStart(2, '0')}`, 'OK');
    slack.rateLimit('chat.update', 2, 1);
    const replies = () => slack.messages.filter((m) => m.channel === CHANNEL && m.thread_ts);
    await r.pollUntil(() => replies().length >= STORM);
    await r.polls(2);
    expect(replies()).toHaveLength(STORM);
    for (const post of posts()) {
      expect(replies().filter((m) => m.thread_ts === post.ts)).toHaveLength(1);
      expect(post.text).toMatch(/^Resolved: /);
    }
  }, 60_000);
});
