/**
 * Promotion gates judged on facts from where the bot keeps them (CONTRACT §11): the audit log in
 * Redis (what staging served since when, its alarms' records) and Lambda through the SDK against the
 * emulator (SigningProfileVersionArn, CodeSha256). A second evaluator over the same Redis (a
 * restarted bot) finds the same soak clock.
 */
import { PublishVersionCommand } from '@aws-sdk/client-lambda';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/adapters/redis/client.js';
import { redisStores } from '../../../src/adapters/redis/stores.js';
import type { GateCheck } from '../../../src/domain/gates.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { GateEvidence } from '../../../src/services/gate-evidence.js';
import { PromotionGates } from '../../../src/services/promotion-gates.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { TestClock } from '../../fakes/test-clock.js';
import { seedFunction } from '../../support/aws-world.js';
import { botAws } from '../../support/bot-aws.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { withGates } from '../../support/policy.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';
import { servicesOverRedis } from '../../support/services-over-redis.js';

const SIGNER = 'arn:aws:signer:us-east-1:000000000000:/signing-profiles/Release/abcdef1234';
const ALARM = 'payments-staging-errors';
const POLICY = withGates(['soaked_on: staging', 'soak: 30m', `signed_by: ["${SIGNER}"]`, 'same_code_as: staging']);
const alice = { actor: 'U0ALICE', request: 'r-alice' };
const prefix = testPrefix('gates');
let h: Harness;
let slack: FakeSlack;
let redis: RedisClient;
let policy: Policy;
let world: ReturnType<typeof servicesOverRedis>;
let staged: Date;

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  slack = await FakeSlack.start();
  redis = await connect();
  await seedFunction(h.lambda, { name: 'payments-api', versions: 4, aliases: { prod: '2', staging: '2' } });
  // v5: v4's code, signed by the release pipeline.
  await h.control('PUT', '/_emulator/signing', {
    function: 'payments-api',
    profileVersionArn: SIGNER,
    jobArn: 'arn:aws:signer:us-east-1:000000000000:/signing-jobs/0123abcd',
  });
  await h.lambda.send(new PublishVersionCommand({ FunctionName: 'payments-api', Description: 'release 5, signed' }));
  policy = testPolicy(POLICY);
  const web = new WebClient('xoxb-gates', { slackApiUrl: slack.apiUrl });
  world = servicesOverRedis({ policy, redis, prefix, endpoint: h.emulator.url, web });
  await world.services.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '5');
  staged = new Date();
});

afterAll(async () => {
  world?.close();
  await cleanup(redis, prefix);
  redis.disconnect();
  await slack.close();
  await h.close();
});

/** A bot's evaluator over this Redis and the emulator, at a time the test sets. */
function evaluator(at: Date, alarming: readonly string[] = []) {
  const aws = botAws(h.emulator.url, policy);
  const stores = redisStores(redis, prefix, new TestClock(at.toISOString()));
  const alarms = async () => [{ name: ALARM, state: alarming.includes(ALARM) ? 'ALARM' : 'OK' }];
  const evidence = new GateEvidence({ lambda: aws.lambda, audit: stores.audit, alarms });
  const gates = new PromotionGates({
    fleet: aws.fleet,
    policy,
    lambda: aws.lambda,
    evidence,
    audit: stores.audit,
    clock: new TestClock(at.toISOString()),
  });
  return { gates, target: aws.fleet.named('payments-api'), close: () => aws.close() };
}

async function checksAt(minutes: number, version = '5', alarming: readonly string[] = []): Promise<GateCheck[]> {
  const e = evaluator(new Date(staged.getTime() + minutes * 60_000), alarming);
  try {
    return (await e.gates.check(e.target, 'prod', version)) ?? [];
  } finally {
    e.close();
  }
}

describe('facts from Redis and the emulator', () => {
  it('the soak clock from the audit log; signature and code from Lambda', async () => {
    const checks = await checksAt(12);
    expect(checks).toEqual([
      { gate: 'soak', met: false, fact: 'served staging 100% for 12 of 30 min' },
      { gate: 'signed', met: true, fact: 'signed by Release/abcdef1234' },
      { gate: 'same-code', met: true, fact: expect.stringMatching(/^same code as staging \(v5, /) },
    ]);
  });

  it('a restarted bot (another evaluator, same Redis) finds the same clock; at 30 minutes all are met', async () => {
    expect((await checksAt(12))[0]?.fact).toBe('served staging 100% for 12 of 30 min');
    expect((await checksAt(30)).every((c) => c.met)).toBe(true);
  });

  it('an unsigned version of other code fails those gates', async () => {
    const checks = await checksAt(45, '3');
    expect(checks.map((c) => c.met)).toEqual([false, false, false]);
    expect(checks[1]?.fact).toBe('v3 is not signed');
  });

  it('a watched alarm of staging in ALARM now stops the clock; its recorded return to OK restarts it', async () => {
    expect((await checksAt(40, '5', [ALARM]))[0]?.fact).toBe(`${ALARM} in ALARM now`);
    const stores = redisStores(redis, prefix, new TestClock(new Date(staged.getTime() + 20 * 60_000).toISOString()));
    // As the alarm poller records them (src/services/alarm-changes.ts).
    for (const [action, detail] of [
      ['alarm.alert', `alarm ${ALARM}: Threshold Crossed`],
      ['alarm.resolve', `alarm ${ALARM} back to OK: Threshold no longer crossed`],
    ] as const) {
      await stores.audit.append({
        actor: 'system',
        action,
        function: 'payments-api',
        alias: 'staging',
        from: null,
        to: null,
        result: 'ok',
        detail,
        request: 'xalert',
      });
    }
    const after = await checksAt(40);
    expect(after[0]?.met).toBe(false);
    expect(after[0]?.fact).toMatch(/^served staging 100% for 20 of 30 min \(restarted when .* went back to OK\)$/);
  });
});
