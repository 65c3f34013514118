/**
 * REDIS_REPLICAS_ACK on a real Sentinel set (CONTRACT §13): an audit record counts as written only
 * once a replica holds it; a replica that does not confirm in time makes the append fail as if
 * Redis were down, and the record, which the primary has, is an intent the settler will close.
 * /readyz names the topology and the part that does not answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisApprovalStore } from '../../../src/adapters/redis/approvals.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { connectRedis, type RedisClient } from '../../../src/adapters/redis/client.js';
import { redisReadiness } from '../../../src/adapters/redis/readiness.js';
import type { RedisSettings } from '../../../src/config/redis.js';
import { BotError } from '../../../src/domain/errors.js';
import { sampleRequest } from '../../contract/ports/approvals.case.js';
import { entry } from '../../contract/ports/audit-log.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, testPrefix } from '../../support/redis.js';
import { type SentinelSet, startSentinelSet } from '../../support/redis-topology.js';

let set: SentinelSet;
let redis: RedisClient;
let settings: RedisSettings;
const prefix = testPrefix('durability');

beforeAll(async () => {
  set = await startSentinelSet();
  settings = {
    topology: { kind: 'sentinel', sentinels: [...set.sentinelAddresses], name: set.masterName, tls: false },
    keyPrefix: prefix,
    replicasAck: 1,
    ackTimeoutMs: 300,
  };
  redis = connectRedis(settings);
  // No offline queue, as the bot: wait for the connection before the first command.
  await new Promise((resolve) => redis.once('ready', resolve));
}, 60_000);

afterAll(async () => {
  await cleanup(redis, prefix).catch(() => {});
  redis?.disconnect();
  await set?.stop();
});

function log(replicas: number): RedisAuditLog {
  return new RedisAuditLog(redis, prefix, new TestClock('2026-12-04T10:00:00.000Z'), { replicas, timeoutMs: 300 });
}

async function refusal(work: Promise<unknown>): Promise<BotError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BotError)) throw new Error(`expected a BotError, got ${String(error)}`);
  return error;
}

describe('REDIS_REPLICAS_ACK=1 on a Sentinel set', () => {
  it('a record a replica confirms counts as written', async () => {
    const audit = log(1);
    expect((await audit.append(entry({ request: 'confirmed' }))).id).toBe('1');
  });

  it('a replica that does not answer: the append fails within the ack timeout, as Redis down would', async () => {
    const audit = log(1);
    const replica = set.dataNodes.find(
      (n) => n.port !== undefined && n !== undefined,
    ) as (typeof set.dataNodes)[number];
    const primary = await set.primary();
    const stopped = set.dataNodes.find((n) => n.port !== primary.port) ?? replica;
    set.pause(stopped);
    try {
      const started = performance.now();
      const error = await refusal(audit.append(entry({ request: 'unconfirmed', result: 'pending', detail: 'intent' })));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(error.code).toBe('redis-unavailable');
      expect(error.message).toBe(
        'Redis wrote the audit record, but 0 of the 1 replica(s) REDIS_REPLICAS_ACK asks for confirmed it within 300 ms, so it does not count',
      );
    } finally {
      set.resume(stopped);
    }
    // The primary has it: an intent without outcome, which the settler closes by reading AWS.
    const pending = await audit.pendingIntents(new Date('2026-12-04T11:00:00Z'), 10);
    expect(pending.map((r) => r.request)).toEqual(['unconfirmed']);
    expect((await audit.append(entry({ request: 'after' }))).id).toBe('3');
    expect(await audit.verify()).toEqual({ ok: true, count: 3 });
  });

  it('an approval decision waits for its replica too: unconfirmed, it does not count', async () => {
    const approvals = new RedisApprovalStore(redis, prefix, { replicas: 1, timeoutMs: 300 });
    await approvals.create(sampleRequest('aconfirmedxxxxxxx'));
    const primary = await set.primary();
    const stopped = set.dataNodes.find((n) => n.port !== primary.port);
    if (!stopped) throw new Error('no replica');
    set.pause(stopped);
    try {
      const error = await refusal(approvals.create(sampleRequest('aunconfirmedxxxxx')));
      expect(error.message).toMatch(/^Redis wrote an approval request, but 0 of the 1 replica\(s\)/);
    } finally {
      set.resume(stopped);
    }
  });

  it('asking for more replicas than there are refuses every write', async () => {
    const error = await refusal(log(2).append(entry({ request: 'never' })));
    expect(error.message).toContain('1 of the 2 replica(s)');
  });
});

describe('/readyz on a Sentinel set', () => {
  it('names the topology, and says why when it does not answer', async () => {
    const check = redisReadiness(redis, settings);
    expect(check.name).toBe(`redis:sentinel/${set.masterName}`);
    await expect(check.check()).resolves.toBeUndefined();
    const nowhere = connectRedis({
      ...settings,
      topology: { ...settings.topology, name: 'no-such-master' } as RedisSettings['topology'],
    });
    try {
      const failing = redisReadiness(nowhere, {
        topology: { ...settings.topology, name: 'no-such-master' } as RedisSettings['topology'],
      });
      await expect(failing.check()).rejects.toThrow(/^Sentinel master no-such-master via 127\.0\.0\.1:\d+.*: /);
    } finally {
      nowhere.disconnect();
    }
  });
});
