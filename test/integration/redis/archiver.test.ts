import { gunzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditArchiving } from '../../../src/adapters/redis/audit-archiving.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { ArchiveVerifier, checkSeam } from '../../../src/domain/archive-verify.js';
import { Archiver } from '../../../src/services/archiver.js';
import { collect, entry } from '../../contract/ports/audit-log.case.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { MemoryArchiveStore } from '../../fakes/memory-archive-store.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';

const prefix = testPrefix('archiver');
const DAY = 86_400_000;
let redis: Redis;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('the archiver over Redis', () => {
  it('archives a month of records, trims Redis to the window, and archive + Redis still make the whole chain', async () => {
    const clock = new TestClock('2025-01-01T00:00:00.000Z');
    const log = new RedisAuditLog(redis, prefix, clock);
    const archiving = new RedisAuditArchiving(redis, prefix);
    const store = new MemoryArchiveStore(7);
    const archiver = new Archiver({
      store,
      archiving,
      settings: {
        bucket: 'acme-audit',
        prefix: 'bot/',
        mode: 'GOVERNANCE',
        retain: { unit: 'days', n: 1 },
        intervalMs: 3_600_000,
        maxRecords: 50,
        alertLagMs: DAY,
      },
      retainInRedisMs: 7 * DAY,
      clock,
      notifier: new FakeNotifier(),
      alertsChannel: 'C0ALERTS',
      warn: (message, fields) => {
        throw new Error(`${message}: ${JSON.stringify(fields)}`);
      },
      info: () => {},
    });
    const written = [];
    // 30 days, 12 records a day (two functions), the archiver every 2 hours.
    for (let hour = 0; hour < 30 * 24; hour += 2) {
      written.push(
        await log.append(entry({ request: `r${hour}`, function: hour % 4 ? 'orders-api' : 'payments-api' })),
      );
      clock.advance(2 * 3_600_000);
      await archiver.run(async () => true);
    }
    const verifier = new ArchiveVerifier('bot/');
    for (const key of store.keys()) {
      const problem = verifier.push(key, gunzipSync(store.objects.get(key)?.body as Uint8Array).toString('utf8'));
      expect(problem).toBeUndefined();
    }
    const kept = await collect(log.export({}));
    const base = await log.trimmedBefore();
    expect(base).toBeDefined();
    expect(Number(kept[0]?.id)).toBe((base?.id ?? 0) + 1);
    // Redis holds about the last week; the archive holds what Redis no longer has, and more.
    expect(kept.length).toBeLessThanOrEqual(7 * 12 + 1);
    expect(verifier.last.id).toBeGreaterThanOrEqual(base?.id ?? 0);
    const head = { id: written.length, hash: written.at(-1)?.hash as string };
    const first = kept[0] as (typeof kept)[number];
    const atEnd = kept.find((r) => Number(r.id) === verifier.last.id)?.hash;
    const seam = checkSeam(verifier.last, {
      head,
      first: { id: Number(first.id), prev: first.prev },
      ...(atEnd ? { hashAtArchiveEnd: atEnd } : {}),
    });
    expect(seam).toBeUndefined();
    expect(await log.verify()).toEqual({ ok: true, count: kept.length, from: (base?.id ?? 0) + 1 });
    // The index streams were trimmed with the log: they hold no entry for a trimmed record.
    for (const fn of ['payments-api', 'orders-api']) {
      const ids = (await redis.xrange(redisKeys(prefix).auditIndex(fn), '-', '+')).map(([, f]) => Number(f[1]));
      expect(Math.min(...ids)).toBeGreaterThan(base?.id ?? 0);
    }
    expect((await log.recent({ fn: 'payments-api', limit: 3 })).length).toBe(3);
  });
});
