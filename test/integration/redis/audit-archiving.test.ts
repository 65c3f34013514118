import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditArchiving } from '../../../src/adapters/redis/audit-archiving.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { NOTHING_ARCHIVED } from '../../../src/domain/archive.js';
import { auditArchivingContract } from '../../contract/ports/audit-archiving.case.js';
import { entry } from '../../contract/ports/audit-log.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';

const filePrefix = testPrefix('archiving');
let redis: Redis;
let n = 0;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, filePrefix);
  redis.disconnect();
});

function fresh() {
  const prefix = `${filePrefix}${n++}:`;
  const clock = new TestClock();
  return {
    prefix,
    clock,
    log: new RedisAuditLog(redis, prefix, clock),
    archiving: new RedisAuditArchiving(redis, prefix),
  };
}

auditArchivingContract('Redis', async () => fresh());

describe('RedisAuditArchiving in Redis', () => {
  it('trims the log with XTRIM MINID and each index up to its first kept record, base in the same step', async () => {
    const { prefix, log, archiving } = fresh();
    const keys = redisKeys(prefix);
    const records = [];
    for (let i = 0; i < 6; i++)
      records.push(await log.append(entry({ request: `r${i}`, function: i < 3 ? 'a-fn' : 'b-fn' })));
    await archiving.advance(NOTHING_ARCHIVED, { id: 4, hash: records[3]?.hash as string, key: 'k' }, new Date());
    await archiving.trim(4, ['a-fn', 'b-fn']);
    expect((await redis.xrange(keys.auditLog, '-', '+')).map(([id]) => id)).toEqual(['5-0', '6-0']);
    expect(await redis.xlen(keys.auditIndex('a-fn'))).toBe(0);
    const b = await redis.xrange(keys.auditIndex('b-fn'), '-', '+');
    expect(b.map(([, fields]) => fields[1])).toEqual(['5', '6']);
    expect(await redis.hgetall(keys.auditBase)).toEqual({ id: '4', hash: records[3]?.hash, at: records[3]?.at });
  });

  it('refuses to trim through a record that is missing, and removes nothing', async () => {
    const { prefix, log, archiving } = fresh();
    const keys = redisKeys(prefix);
    const records = [];
    for (let i = 0; i < 3; i++) records.push(await log.append(entry({ request: `r${i}` })));
    await archiving.advance(NOTHING_ARCHIVED, { id: 3, hash: records[2]?.hash as string, key: 'k' }, new Date());
    await redis.xdel(keys.auditLog, '2-0');
    await expect(archiving.trim(2, ['payments-api'])).rejects.toMatchObject({ code: 'internal' });
    expect(await redis.xlen(keys.auditLog)).toBe(2);
    expect(await redis.exists(keys.auditBase)).toBe(0);
  });

  it('verify still finds a record removed after the trim base', async () => {
    const { prefix, log, archiving } = fresh();
    const keys = redisKeys(prefix);
    const records = [];
    for (let i = 0; i < 5; i++) records.push(await log.append(entry({ request: `r${i}` })));
    await archiving.advance(NOTHING_ARCHIVED, { id: 2, hash: records[1]?.hash as string, key: 'k' }, new Date());
    await archiving.trim(2, ['payments-api']);
    await redis.xdel(keys.auditLog, '3-0');
    expect(await log.verify()).toEqual({
      ok: false,
      count: 0,
      from: 3,
      problem: { id: '4', reason: 'expected record 3 here: records are missing or out of order' },
    });
  });
});
