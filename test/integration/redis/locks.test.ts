import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { REDIS_OPTIONS } from '../../../src/adapters/redis/client.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { RedisLocks } from '../../../src/adapters/redis/locks.js';
import { locksContract } from '../../contract/ports/locks.case.js';
import { closedPort, connect, redisForFile } from '../../support/redis.js';
import { PrivateRedis } from '../../support/redis-server.js';

const file = redisForFile('locks');
let redis: Redis;

beforeAll(() => {
  redis = file.redis();
});

// The one real wait in these tests: Redis expires keys by its own clock.
locksContract('Redis', async () => ({
  locks: new RedisLocks(redis, file.next()),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('RedisLocks', () => {
  it('stores the owner with a random token and a TTL', async () => {
    const prefix = file.next();
    const lock = await new RedisLocks(redis, prefix).acquire('payments-api:prod', owner, 30_000);
    const key = redisKeys(prefix).lock('payments-api:prod');
    const value = JSON.parse((await redis.get(key)) ?? '{}') as Record<string, string>;
    expect(value).toEqual({ token: expect.stringMatching(/^[0-9a-f]{32}$/), ...owner });
    expect(await redis.pttl(key)).toBeGreaterThan(29_000);
    if (lock.acquired) await lock.release();
    expect(await redis.exists(key)).toBe(0);
  });

  it('a lock held by something else than RedisLocks shows an unknown holder', async () => {
    const prefix = file.next();
    await redis.set(redisKeys(prefix).lock('x'), 'not json', 'PX', 30_000);
    expect(await new RedisLocks(redis, prefix).acquire('x', owner, 1000)).toEqual({
      acquired: false,
      holder: { actor: 'unknown', request: 'unknown', action: 'unknown' },
    });
  });

  it('rejects with redis-unavailable when Redis does not answer', async () => {
    const down = new Redis(`redis://127.0.0.1:${await closedPort()}`, REDIS_OPTIONS);
    down.on('error', () => {});
    try {
      await expect(new RedisLocks(down, file.prefix).acquire('x', owner, 1000)).rejects.toMatchObject({
        code: 'redis-unavailable',
      });
    } finally {
      down.disconnect();
    }
  });

  it('a Redis that hangs: acquire rejects after the command timeout, and the late SET leaves no lock behind', async () => {
    const frozen = await PrivateRedis.start();
    const client = await connect(frozen.url);
    const observer = await connect(frozen.url);
    try {
      const prefix = file.next();
      frozen.pause();
      const started = performance.now();
      await expect(new RedisLocks(client, prefix).acquire('x', owner, 30_000)).rejects.toMatchObject({
        code: 'redis-unavailable',
      });
      expect(performance.now() - started).toBeLessThan(REDIS_OPTIONS.commandTimeout + 1000);
      frozen.resume();
      // Redis runs what waited in this connection's socket in order: the SET, the release, this PING.
      await client.ping();
      expect(await observer.exists(redisKeys(prefix).lock('x'))).toBe(0);
      expect(await new RedisLocks(client, prefix).acquire('x', owner, 30_000)).toMatchObject({ acquired: true });
    } finally {
      frozen.resume();
      client.disconnect();
      observer.disconnect();
      await frozen.stop();
    }
  });

  it('a release that fails while Redis is away is done once it is back, not left for the TTL', async () => {
    // AOF, fsync always: the lock outlives the kill, as it outlives a failover on the replica promoted.
    const server = await PrivateRedis.start({ aof: true });
    const client = await connect(server.url);
    client.on('error', () => {});
    try {
      const prefix = file.next();
      const lock = await new RedisLocks(client, prefix).acquire('x', owner, 30_000);
      if (!lock.acquired) throw new Error('not acquired');
      await server.kill();
      await expect(lock.release()).rejects.toMatchObject({ code: 'redis-unavailable' });
      await server.restart();
      const observer = await connect(server.url);
      try {
        expect(await observer.exists(redisKeys(prefix).lock('x'))).toBe(1);
        const deadline = performance.now() + 5000;
        while ((await observer.exists(redisKeys(prefix).lock('x'))) === 1 && performance.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await observer.exists(redisKeys(prefix).lock('x'))).toBe(0);
      } finally {
        observer.disconnect();
      }
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it('an acquisition given up while its SET is still on its way (a Cluster re-sends it) leaves no lock once the SET lands', async () => {
    const prefix = file.next();
    // The SET reaches Redis 300 ms after the caller was told it failed, as ioredis's Cluster
    // re-sends a command through a failover after its timeout has fired.
    const late = new Proxy(redis, {
      get(target, property, receiver) {
        if (property !== 'set') return Reflect.get(target, property, receiver);
        return (...args: Parameters<Redis['set']>) => {
          setTimeout(() => void target.set(...args), 300);
          return Promise.reject(new Error('Command timed out'));
        };
      },
    });
    await expect(new RedisLocks(late, prefix).acquire('x', owner, 30_000)).rejects.toMatchObject({
      code: 'redis-unavailable',
    });
    const key = redisKeys(prefix).lock('x');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const deadline = performance.now() + 2000;
    while ((await redis.exists(key)) === 1 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await redis.exists(key)).toBe(0);
  });
});

const owner = { actor: 'U0ALICE', request: 'req-1', action: 'promote' };
