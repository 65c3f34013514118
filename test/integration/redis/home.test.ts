import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { RedisChangeFeed } from '../../../src/adapters/redis/change-feed.js';
import { REDIS_OPTIONS } from '../../../src/adapters/redis/client.js';
import { RedisHomeViewers } from '../../../src/adapters/redis/home-viewers.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { homeViewersContract } from '../../contract/ports/home-viewers.case.js';
import { MemoryHomeViewers } from '../../fakes/memory-home.js';
import { TestClock } from '../../fakes/test-clock.js';
import { REDIS_URL, redisForFile } from '../../support/redis.js';

const file = redisForFile('home');
let redis: Redis;

beforeAll(() => {
  redis = file.redis();
});

homeViewersContract('memory', async () => new MemoryHomeViewers());
homeViewersContract('Redis', async () => new RedisHomeViewers(redis, file.next()));

const record = (n: number) => ({
  actor: 'U0ALICE',
  action: 'freeze' as const,
  function: 'payments-api',
  alias: 'live',
  from: null,
  to: null,
  result: 'ok' as const,
  detail: `change ${n}`,
  request: `r${n}`,
});

describe('RedisChangeFeed over the audit log', () => {
  it('starts at the end, wakes on the next record and reads on from where it was', async () => {
    const prefix = file.next();
    const audit = new RedisAuditLog(redis, prefix, new TestClock());
    // As the bot's tail: a command timeout longer than the block.
    const tail = new Redis(REDIS_URL, { ...REDIS_OPTIONS, commandTimeout: 10_000 });
    const feed = new RedisChangeFeed(tail, redis, prefix);
    try {
      expect(await feed.latest()).toBe('0-0');
      await audit.append(record(1));
      const start = await feed.latest();
      expect(start).toBe('1-0');
      expect(await feed.next(start, 50)).toEqual({ cursor: start, count: 0 });
      const waiting = feed.next(start, 5000);
      await audit.append(record(2));
      expect(await waiting).toEqual({ cursor: '2-0', count: 1 });
      await audit.append(record(3));
      await audit.append(record(4));
      expect(await feed.next('2-0', 5000)).toEqual({ cursor: '4-0', count: 2 });
    } finally {
      feed.close();
    }
  });

  it('keeps how far Home was published, for the next leader', async () => {
    const prefix = file.next();
    const feed = new RedisChangeFeed(redis, redis, prefix);
    expect(await feed.published()).toBeUndefined();
    await feed.markPublished('7-0');
    expect(await feed.published()).toBe('7-0');
    expect(await redis.get(redisKeys(prefix).homePublished)).toBe('7-0');
  });
});
