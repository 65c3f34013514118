import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBatch } from '../../../src/adapters/redis/audit-append-script.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { LuaScript } from '../../../src/adapters/redis/lua.js';
import { type AuditRecord, GENESIS, seal } from '../../../src/domain/audit.js';
import { encodeRecord } from '../../../src/domain/audit-codec.js';
import { auditLogContract, collect, entry } from '../../contract/ports/audit-log.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, connect, keysUnder, testPrefix } from '../../support/redis.js';

const filePrefix = testPrefix('audit');
let redis: Redis;
const connections: Redis[] = [];
let n = 0;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, filePrefix);
  for (const c of connections) c.disconnect();
  redis.disconnect();
});

/** A log of its own (fresh prefix) for one test. */
function freshLog(clock = new TestClock()) {
  const prefix = `${filePrefix}${n++}:`;
  return { prefix, clock, log: new RedisAuditLog(redis, prefix, clock) };
}

const sealed = (record: AuditRecord) => ({ record, json: encodeRecord(record) });

auditLogContract('Redis', async () => {
  const { prefix, clock, log } = freshLog();
  return {
    log,
    clock,
    replica: async () => {
      const own = await connect();
      connections.push(own);
      return new RedisAuditLog(own, prefix, clock);
    },
  };
});

describe('RedisAuditLog storage', () => {
  it('stores record N as entry N-0 of one stream, whole, with its head and a per-function index', async () => {
    const { prefix, log } = freshLog();
    const keys = redisKeys(prefix);
    const a = await log.append(entry({ request: 'a' }));
    const b = await log.append(entry({ function: null, alias: null, action: 'denied', result: 'denied' }));
    const c = await log.append(entry({ function: 'orders-api', alias: null, action: 'publish', result: 'error' }));

    const stored = await redis.xrange(keys.auditLog, '-', '+');
    expect(stored.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    expect(stored.map(([, fields]) => fields[0])).toEqual(['rec', 'rec', 'rec']);
    expect(JSON.parse(stored[0]?.[1][1] ?? '')).toEqual(a);
    expect(Object.keys(JSON.parse(stored[0]?.[1][1] ?? ''))).toEqual([
      ...['id', 'at', 'actor', 'action', 'function', 'alias', 'from', 'to'],
      ...['result', 'detail', 'request', 'prev', 'hash'],
    ]);
    expect(await redis.hgetall(keys.auditHead)).toEqual({ id: '3', hash: c.hash });

    const index = async (fn: string) => (await redis.xrange(keys.auditIndex(fn), '-', '+')).map(([, f]) => f);
    expect(await index('payments-api')).toEqual([['id', '1', 'alias', 'prod', 'action', 'promote', 'result', 'ok']]);
    expect(await index('orders-api')).toEqual([['id', '3', 'alias', '', 'action', 'publish', 'result', 'error']]);
    // The record without a function is in the log only.
    expect(await keysUnder(redis, prefix)).toEqual(
      [keys.auditLog, keys.auditHead, keys.auditIndex('orders-api'), keys.auditIndex('payments-api')].sort(),
    );
    expect(b.id).toBe('2');
  });

  it('batches concurrent appends into few script calls', async () => {
    const { prefix, log } = freshLog();
    const monitor = await connect();
    connections.push(monitor);
    const calls: string[] = [];
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[]) => {
      if (/^eval/i.test(args[0] ?? '') && args.includes(redisKeys(prefix).auditHead)) calls.push(args[0] ?? '');
    });
    await Promise.all(Array.from({ length: 250 }, (_, i) => log.append(entry({ request: `r${i}` }))));
    await new Promise((resolve) => setTimeout(resolve, 20));
    feed.disconnect();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(await log.verify()).toEqual({ ok: true, count: 250 });
  });

  it('a second process takes over the chain where the first left it', async () => {
    const { prefix, clock, log } = freshLog();
    await log.append(entry({ request: 'first' }));
    const other = new RedisAuditLog(redis, prefix, clock);
    expect((await other.append(entry({ request: 'second' }))).id).toBe('2');
    // The first instance's cached head is stale now; the compare-and-set puts it right.
    expect((await log.append(entry({ request: 'third' }))).id).toBe('3');
    expect((await collect(log.export({}))).map((r) => r.request)).toEqual(['first', 'second', 'third']);
    expect(await log.verify()).toEqual({ ok: true, count: 3 });
  });

  it('entries sealed ahead on a head another replica took are sealed again before they are sent', async () => {
    const { prefix, clock, log } = freshLog();
    await log.append(entry({ request: 'first' }));
    // This log now expects to chain onto record 1; another replica takes record 2 first.
    await new RedisAuditLog(redis, prefix, clock).append(entry({ request: 'other replica' }));
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(entry({ request: `r${i}` }))));
    expect(burst.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 3)));
    expect(burst.map((r) => r.request)).toEqual(Array.from({ length: 40 }, (_, i) => `r${i}`));
    expect(await log.verify()).toEqual({ ok: true, count: 42 });
  });

  it('the append script run twice with the same batch (a resent command) writes it once', async () => {
    const { prefix, clock, log } = freshLog();
    const keys = redisKeys(prefix);
    const first = seal(entry({ request: 'a' }), { id: 1, at: clock.now(), prev: GENESIS });
    const second = seal(entry({ request: 'b' }), { id: 2, at: clock.now(), prev: first.hash });
    const expected = { id: 0, hash: GENESIS };
    const head = { id: 2, hash: second.hash };
    const batch = [first, second].map(sealed);
    expect(await appendBatch(redis, keys, expected, batch, 'call-1')).toEqual({ written: true, head, acked: 0 });
    expect(await appendBatch(redis, keys, expected, batch, 'call-1')).toEqual({ written: true, head, acked: 0 });
    expect(await redis.xlen(keys.auditLog)).toBe(2);
    expect(await redis.xlen(keys.auditIndex('payments-api'))).toBe(2);
    // Another batch sealed on the same old head did not get in: the head moved under it.
    const rival = seal(entry({ request: 'c' }), { id: 1, at: clock.now(), prev: GENESIS });
    expect(await appendBatch(redis, keys, expected, [rival].map(sealed))).toEqual({ written: false, head, acked: 0 });
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('another writer’s batch beginning with a byte-identical record is not taken for a resend', async () => {
    const { prefix, clock, log } = freshLog();
    const keys = redisKeys(prefix);
    const same = seal(entry({ result: 'denied', detail: 'Your click changed nothing' }), {
      id: 1,
      at: clock.now(),
      prev: GENESIS,
    });
    const expected = { id: 0, hash: GENESIS };
    expect(await appendBatch(redis, keys, expected, [same].map(sealed), 'replica-a')).toMatchObject({ written: true });
    expect(await appendBatch(redis, keys, expected, [same].map(sealed), 'replica-b')).toMatchObject({ written: false });
    // Through the appenders of two replicas, in the same millisecond: both records are kept.
    const twin = new RedisAuditLog(redis, prefix, clock);
    const denied = entry({ result: 'denied', detail: 'Your click changed nothing' });
    await Promise.all([log.append(denied), twin.append(denied), log.append(denied), twin.append(denied)]);
    expect(await log.verify()).toEqual({ ok: true, count: 5 });
  });

  it('refuses to append when the head is behind the log, and writes nothing', async () => {
    const { prefix, log } = freshLog();
    const keys = redisKeys(prefix);
    await log.append(entry());
    await log.append(entry());
    await redis.unlink(keys.auditHead);
    const fresh = new RedisAuditLog(redis, prefix, new TestClock());
    await expect(fresh.append(entry())).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('the head says record 0 but the log holds later records'),
    });
    expect(await redis.xlen(keys.auditLog)).toBe(2);
    expect(await redis.xlen(keys.auditIndex('payments-api'))).toBe(2);
    expect(await redis.exists(keys.auditHead)).toBe(0);
  });

  it('runs its script from source when Redis does not have it cached (NOSCRIPT), then by SHA', async () => {
    const script = new LuaScript(`-- ${filePrefix}\nreturn ARGV[1] .. KEYS[1]`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(redis, [`${filePrefix}k`], ['v:'])).toBe(`v:${filePrefix}k`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(redis, [`${filePrefix}k`], ['w:'])).toBe(`w:${filePrefix}k`);
  });
});
