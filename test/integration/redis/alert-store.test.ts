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

  it('reopening an alert whose hash expired records nothing: the next poll raises a new one', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const alarm = { state: 'ALARM' as const, since: 5 };
    const { alert } = await store.record('a', undefined, alarm, { kind: 'alert', facts: facts() });
    const id = alert?.id ?? '';
    await redis.del(keys.alarmAlert(id));
    const next = { state: 'ALARM' as const, since: 9 };
    const at = new Date(9).toISOString();
    const context = facts().context;
    const reopen = { kind: 'reopen' as const, id, count: 2, at, reason: 'r', context, due: at };
    expect(await store.record('a', alarm, next, reopen)).toEqual({ recorded: false, resolved: [], noted: [] });
    expect(await redis.hget(keys.alarmSeen, 'a')).toBe('ALARM|5');
    expect(await redis.exists(keys.alarmAlert(id))).toBe(0);
    expect(await store.latest('a')).toBeUndefined();
  });

  it('a reopened alert lives a month from its return; delivered notes leave its hash', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const alarm = { state: 'ALARM' as const, since: 5 };
    const { alert } = await store.record('a', undefined, alarm, { kind: 'alert', facts: facts() });
    const id = alert?.id ?? '';
    await redis.pexpire(keys.alarmAlert(id), 60_000);
    const due = new Date(9).toISOString();
    const ok = { state: 'OK' as const, since: 7 };
    await store.record('a', alarm, ok, { kind: 'resolve', at: new Date(7).toISOString(), reason: 'r', due });
    const back = { kind: 'reopen' as const, id, count: 2, at: due, reason: 'r', context: facts().context, due };
    await store.record('a', ok, { state: 'ALARM', since: 9 }, back);
    expect(await redis.pttl(keys.alarmAlert(id))).toBeGreaterThan(29 * 86_400_000);
    expect(await redis.hexists(keys.alarmAlert(id), 'note:2')).toBe(1);
    await store.take(id, 'post', 1, new Date(10), 1000);
    await store.delivered(id, 'post', { channel: 'C', ts: '1' });
    await store.take(id, 'thread', 1, new Date(10), 1000);
    await store.delivered(id, 'thread', 2);
    const fields = Object.keys(await redis.hgetall(keys.alarmAlert(id)));
    expect(fields.filter((f) => f.startsWith('note:'))).toEqual([]);
    expect(await redis.zcard(keys.alarmUndelivered)).toBe(0);
  });

  it('a note gone from the hash (removed by hand) is not owed forever', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const alarm = { state: 'ALARM' as const, since: 5 };
    const { alert } = await store.record('a', undefined, alarm, { kind: 'alert', facts: facts() });
    const id = alert?.id ?? '';
    const due = new Date(9).toISOString();
    await store.record('a', alarm, { state: 'OK', since: 7 }, { kind: 'resolve', at: due, reason: 'r', due });
    await redis.hdel(keys.alarmAlert(id), 'note:1');
    await store.take(id, 'post', 1, new Date(10), 1000);
    await store.delivered(id, 'post', { channel: 'C', ts: '1' });
    expect((await store.get(id))?.notes).toEqual([]);
    await store.take(id, 'thread', 1, new Date(10), 1000);
    // Nothing was shown, so the reply delivered nothing; the missing note is not due again.
    await store.delivered(id, 'thread', 0);
    expect(await store.get(id)).toMatchObject({ undelivered: [], notes: [] });
  });

  it('an alert resolved before thread notes existed still gets its one reply, once', async () => {
    const prefix = `${filePrefix}${n++}:`;
    const keys = redisKeys(prefix);
    const store = new RedisAlertStore(redis, prefix);
    const id = 'alabcdefghjkmnpqrs';
    const resolved = { at: '2026-11-26T14:05:00.000Z', reason: 'back' };
    // As the earlier version left it: posted, resolved, its resolution due under 'resolve'.
    await redis.hset(keys.alarmAlert(id), {
      id,
      facts: JSON.stringify(facts()),
      created: 1,
      post: 'done',
      ref: JSON.stringify({ channel: 'C0PAYMENTS', ts: '1.1' }),
      resolved: JSON.stringify(resolved),
      resolve: 'due',
      rev: 3,
    });
    await redis.zadd(keys.alarmUndelivered, 1, id);
    const [listed] = await store.undelivered(new Date(2), 10);
    expect(listed).toMatchObject({ id, count: 1, lastAlarmAt: facts().since, undelivered: ['thread'] });
    expect(listed?.notes).toEqual([{ seq: 1, kind: 'resolved', ...resolved }]);
    expect(await store.take(id, 'thread', 1, new Date(2), 1000)).toBe(true);
    expect(await store.take(id, 'thread', 2, new Date(2), 1000)).toBe(false);
    await store.delivered(id, 'thread', 1);
    expect(await store.get(id)).toMatchObject({ undelivered: [], notes: [] });
    expect(await store.undelivered(new Date(2), 10)).toEqual([]);
  });
});
