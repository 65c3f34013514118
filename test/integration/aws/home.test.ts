/**
 * The Home tab's facts gathered from where the bot keeps them: approval requests, rollouts, freezes
 * and the audit log in Redis, aliases and alarms through the SDK against the emulator, the soak clock
 * from the gates. And event claims in Redis, as replicas share them.
 */
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_OPTIONS, type RedisClient } from '../../../src/adapters/redis/client.js';
import { RedisEventClaims } from '../../../src/adapters/redis/event-claims.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { renderHome } from '../../../src/adapters/slack/render/home.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { withGates } from '../../support/policy.js';
import { cleanup, connect, keysUnder, testPrefix } from '../../support/redis.js';
import { servicesOverRedis } from '../../support/services-over-redis.js';

/** payments-api:prod has a soak gate; billing-api:prod is protected without gates, for a request that can be made. */
const POLICY = `${withGates(['soaked_on: staging', 'soak: 30m']).trimEnd()}
  billing-api:
    aliases:
      prod:
        protected: true
        approvers: [approvers]
`;
const alice = { actor: 'U0ALICE', request: 'r-alice', channel: 'C0DEPLOY' };
const prefix = testPrefix('home');
let h: Harness;
let slack: FakeSlack;
let redis: RedisClient;
let policy: Policy;
let world: ReturnType<typeof servicesOverRedis>;
let requestId: string;

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  slack = await FakeSlack.start();
  redis = await connect();
  await seedFunction(h.lambda, { name: 'payments-api', versions: 4, aliases: { prod: '2', staging: '2' } });
  await seedFunction(h.lambda, { name: 'orders-api', versions: 2, aliases: { prod: '1' } });
  await seedFunction(h.lambda, { name: 'billing-api', versions: 3, aliases: { prod: '2' } });
  policy = testPolicy(POLICY);
  const web = new WebClient('xoxb-home', { slackApiUrl: slack.apiUrl });
  world = servicesOverRedis({ policy, redis, prefix, endpoint: h.emulator.url, web });
  const { release, freezes } = world.services;
  await release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '3');
  await freezes.freeze(alice, { fn: 'orders-api', alias: 'prod' }, 'quarter end close');
  const asked = await release.promote(alice, { fn: 'billing-api', alias: 'prod' }, '3');
  if (asked.kind !== 'approval-requested') throw new Error('expected an approval request');
  requestId = asked.id;
});

afterAll(async () => {
  world?.close();
  await cleanup(redis, prefix);
  redis.disconnect();
  await slack.close();
  await h.close();
});

describe('HomeConsole over Redis and the emulator', () => {
  it('an approver sees the request to decide, the requester sees it waiting, someone without a role sees neither', async () => {
    expect((await world.home.viewFor('U0BOB')).toDecide.map((r) => r.id)).toEqual([requestId]);
    const own = await world.home.viewFor('U0ALICE');
    expect(own.toDecide).toEqual([]);
    expect(own.mine.map((r) => r.id)).toEqual([requestId]);
    const stranger = await world.home.viewFor('U0NOBODY');
    expect(stranger.toDecide.length + stranger.mine.length + stranger.toReview.length).toBe(0);
  });

  it('the fleet: every policy alias with its AWS routing, freezes, last change and soak clock', async () => {
    const facts = await world.home.viewFor('U0NOBODY');
    expect(facts.problems).toEqual([]);
    const byName = new Map(facts.fleet.map((a) => [`${a.fn}:${a.alias}`, a]));
    expect(byName.get('payments-api:staging')).toMatchObject({
      routing: { primary: '3' },
      lastChangeAt: expect.any(String),
    });
    expect(byName.get('payments-api:prod')).toMatchObject({
      routing: { primary: '2' },
      protected: true,
      soak: expect.stringMatching(/^served staging 100% for \d+ of 30 min/),
    });
    expect(byName.get('orders-api:prod')?.frozen?.reason).toBe('quarter end close');
  });

  it('the last changes come from the audit log, newest first, and the view renders within the limits', async () => {
    const facts = await world.home.viewFor('U0BOB');
    expect(facts.changes.map((r) => r.action)).toEqual(['approval.request', 'freeze', 'promote']);
    const view = renderHome(facts);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain(`"value":"${requestId}"`);
  });

  it('reads and writes nothing it should not: gathering twice leaves Redis as it was', async () => {
    const before = await keysUnder(redis, prefix);
    const head = await redis.hgetall(redisKeys(prefix).auditHead);
    await world.home.viewFor('U0BOB');
    expect(await keysUnder(redis, prefix)).toEqual(before);
    expect(await redis.hgetall(redisKeys(prefix).auditHead)).toEqual(head);
  });
});

describe('RedisEventClaims', () => {
  it('the first claim of an event wins, on any replica; the key expires by itself', async () => {
    const other: RedisClient = await connect();
    try {
      const a = new RedisEventClaims(redis, prefix);
      const b = new RedisEventClaims(other, prefix);
      expect(await a.claim('Ev01')).toBe(true);
      expect(await a.claim('Ev01')).toBe(false);
      expect(await b.claim('Ev01')).toBe(false);
      const ttl = await redis.pttl(redisKeys(prefix).eventClaim('Ev01'));
      expect(ttl).toBeGreaterThan(3_500_000);
      // Two replicas racing for one delivery: exactly one handles it.
      const raced = await Promise.all([a.claim('Ev02'), b.claim('Ev02'), a.claim('Ev02'), b.claim('Ev02')]);
      expect(raced.filter(Boolean)).toHaveLength(1);
    } finally {
      other.disconnect();
    }
  });

  it('fails as a Redis failure, which the listener treats as "handle it anyway"', async () => {
    const gone = new Redis('redis://127.0.0.1:1', { ...REDIS_OPTIONS, lazyConnect: true, retryStrategy: () => null });
    await expect(new RedisEventClaims(gone, prefix).claim('Ev03')).rejects.toMatchObject({ code: 'redis-unavailable' });
    gone.disconnect();
  });
});
