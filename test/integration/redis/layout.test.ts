/**
 * An upgraded bot finds its data: the keys of layout version 1 (no hash tags) are moved once, at
 * start, to their names now (CONTRACT §13), on the real Redis.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/adapters/clock.js';
import { LAYOUT_VERSION, redisKeys } from '../../../src/adapters/redis/keys.js';
import { upgradeLayout } from '../../../src/adapters/redis/layout.js';
import { RedisLease } from '../../../src/adapters/redis/lease.js';
import { redisStores } from '../../../src/adapters/redis/stores.js';
import { entry } from '../../contract/ports/audit-log.case.js';
import { keysUnder, redisForFile } from '../../support/redis.js';

const file = redisForFile('layout');

/** The name a key had in layout version 1: today's name without its hash tag. */
function v1(prefix: string, key: string): string {
  const rest = key.slice(prefix.length);
  const renamed = rest
    .replace(/^\{audit\}:/, 'audit:')
    .replace(/^\{approvals\}:request:/, 'approval:')
    .replace(/^\{approvals\}:open$/, 'approvals:open')
    .replace(/^\{rollouts\}:rollout:/, 'rollout:')
    .replace(/^\{rollouts\}:alias:/, 'rollout:alias:')
    .replace(/^\{rollouts\}:live$/, 'rollouts:live')
    .replace(/^\{alarms\}:/, 'alarm:')
    .replace(/^\{lease:([^}]+)\}/, 'lease:$1');
  return `${prefix}${renamed}`;
}

/** A Redis as a bot of layout version 1 left it: some records, a lease's fence, under v1 names. */
async function writtenByVersion1(prefix: string): Promise<void> {
  const redis = file.redis();
  const stores = redisStores(redis, prefix, systemClock);
  for (let i = 0; i < 5; i++) await stores.audit.append(entry({ request: `r${i}` }));
  await stores.audit.append(entry({ request: 'r-pending', result: 'pending' }));
  await new RedisLease(redis, prefix).acquire('rollout-stepper', 'old-bot', 60_000);
  await stores.freezes.put({ fn: 'payments-api', reason: 'audit', by: 'U0ALICE', at: new Date().toISOString() });
  // Version 1 kept no set of pending intents.
  await redis.del(redisKeys(prefix).auditPending);
  for (const key of await keysUnder(redis, prefix)) {
    const old = v1(prefix, key);
    if (old !== key) await redis.rename(key, old);
  }
  await redis.del(redisKeys(prefix).layout);
}

describe('moving the keys of layout version 1', () => {
  it('moves every key once; the chain verifies; a second run moves nothing', async () => {
    const prefix = file.next();
    await writtenByVersion1(prefix);
    const redis = file.redis();
    expect(await redis.exists(`${prefix}audit:log`)).toBe(1);
    const report = await upgradeLayout(redis, prefix);
    expect(report.clashes).toEqual([]);
    expect(report.moved).toBeGreaterThanOrEqual(5);
    const keys = redisKeys(prefix);
    expect(await redis.get(keys.layout)).toBe(LAYOUT_VERSION);
    expect((await keysUnder(redis, prefix)).filter((k) => /:(audit|lease|approval|rollout|alarm)[:s]/.test(k))).toEqual(
      [],
    );
    const stores = redisStores(redis, prefix, systemClock);
    expect(await stores.audit.verify()).toEqual({ ok: true, count: 6 });
    expect((await stores.audit.pendingIntents(new Date(Date.now() + 1000), 10)).map((r) => r.request)).toEqual([
      'r-pending',
    ]);
    expect((await stores.audit.append(entry({ request: 'after' }))).id).toBe('7');
    expect(await stores.freezes.list('payments-api')).toHaveLength(1);
    // The fence counter moved with the lease: tokens keep growing.
    expect(await new RedisLease(redis, prefix).acquire('rollout-stepper', 'new-bot', 60_000)).toBeUndefined();
    expect(await redis.get(keys.leaseFence('rollout-stepper'))).toBe('1');
    expect(await upgradeLayout(redis, prefix)).toEqual({ moved: 0, clashes: [] });
  });

  it('two replicas starting together: one moves, the other waits for it', async () => {
    const prefix = file.next();
    await writtenByVersion1(prefix);
    const redis = file.redis();
    const [a, b] = await Promise.all([upgradeLayout(redis, prefix), upgradeLayout(redis, prefix)]);
    expect([a.moved > 0, b.moved > 0].sort()).toEqual([false, true]);
    expect(await redisStores(redis, prefix, systemClock).audit.verify()).toEqual({ ok: true, count: 6 });
  });

  it('a fresh Redis just gets the version', async () => {
    const prefix = file.next();
    expect(await upgradeLayout(file.redis(), prefix)).toEqual({ moved: 0, clashes: [] });
    expect(await file.redis().get(redisKeys(prefix).layout)).toBe(LAYOUT_VERSION);
  });
});
