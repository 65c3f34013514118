import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { REDIS_OPTIONS } from '../../../src/adapters/redis/client.js';
import { collect, entry } from '../../contract/ports/audit-log.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, closedPort, connect, keysUnder, testPrefix } from '../../support/redis.js';

const prefix = testPrefix('down');
let redis: Redis;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('RedisAuditLog when Redis does not answer', () => {
  it('append rejects with redis-unavailable and writes nothing; reads reject the same way', async () => {
    const down = new Redis(`redis://127.0.0.1:${await closedPort()}`, REDIS_OPTIONS);
    down.on('error', () => {});
    try {
      const log = new RedisAuditLog(down, prefix, new TestClock());
      const unavailable = { name: 'BotError', code: 'redis-unavailable' };
      await expect(log.append(entry())).rejects.toMatchObject(unavailable);
      const many = await Promise.allSettled(Array.from({ length: 5 }, () => log.append(entry())));
      expect(many.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(
        Array(5).fill('redis-unavailable'),
      );
      await expect(log.recent({ fn: 'payments-api', limit: 5 })).rejects.toMatchObject(unavailable);
      await expect(log.verify()).rejects.toMatchObject(unavailable);
      await expect(collect(log.export({}))).rejects.toMatchObject(unavailable);
      expect(await keysUnder(redis, prefix)).toEqual([]);
    } finally {
      down.disconnect();
    }
  });

  it('after the connection comes back, appends continue the chain (even one moved by another replica)', async () => {
    const own = await connect();
    const clock = new TestClock();
    const log = new RedisAuditLog(own, prefix, clock);
    try {
      await log.append(entry({ request: 'before' }));
      const ready = new Promise((resolve) => own.once('ready', resolve));
      own.disconnect(true);
      await expect(log.append(entry({ request: 'during' }))).rejects.toMatchObject({ code: 'redis-unavailable' });
      await new RedisAuditLog(redis, prefix, clock).append(entry({ request: 'other replica' }));
      await ready;
      expect(await log.append(entry({ request: 'after' }))).toMatchObject({ id: '3', request: 'after' });
      expect((await collect(log.export({}))).map((r) => r.request)).toEqual(['before', 'other replica', 'after']);
      expect(await log.verify()).toEqual({ ok: true, count: 3 });
    } finally {
      own.disconnect();
    }
  });
});
