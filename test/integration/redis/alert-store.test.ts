import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { alertStoreContract, facts } from '../../contract/ports/alert-store.case.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';

const filePrefix = testPrefix('alerts');
let redis: Redis;
const replicas: Redis[] = [];
let n = 0;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, filePrefix);
  redis.disconnect();
  for (const r of replicas) r.disconnect();
});

// Each replica has a connection of its own, as separate processes would.
alertStoreContract('Redis', async () => {
  const prefix = `${filePrefix}${n++}:`;
  return {
    store: new RedisAlertStore(redis, prefix),
    replica: async () => {
      const connection = await connect();
      replicas.push(connection);
      return new RedisAlertStore(connection, prefix);
    },
  };
});

describe('RedisAlertStore', () => {
  it('keeps one hash per alert that expires, and the last-seen states in one hash', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const { alert } = await store.record(
      'a',
      undefined,
      { state: 'ALARM', since: 5 },
      { kind: 'alert', facts: facts() },
    );
    expect(await redis.hget(keys.alarmSeen, 'a')).toBe('ALARM|5');
    const ttl = await redis.pttl(keys.alarmAlert(alert?.id ?? ''));
    expect(ttl).toBeGreaterThan(29 * 86_400_000);
    expect(await redis.smembers(keys.alarmOpen('a'))).toEqual([alert?.id]);
  });

  it('an undelivered alert whose hash expired is dropped from the list', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const { alert } = await store.record(
      'a',
      undefined,
      { state: 'ALARM', since: 5 },
      { kind: 'alert', facts: facts() },
    );
    await redis.del(keys.alarmAlert(alert?.id ?? ''));
    expect(await store.undelivered(new Date('2030-01-01T00:00:00Z'), 10)).toEqual([]);
    expect(await redis.zcard(keys.alarmUndelivered)).toBe(0);
  });
});
