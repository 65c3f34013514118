import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisAliasMemory } from '../../../src/adapters/redis/alias-memory.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { aliasMemoryContract } from '../../contract/ports/alias-memory.case.js';
import { redisForFile } from '../../support/redis.js';

const file = redisForFile('alias');
let redis: Redis;

beforeAll(() => {
  redis = file.redis();
});

aliasMemoryContract('Redis', async () => ({ memory: new RedisAliasMemory(redis, file.next()) }));

describe('RedisAliasMemory', () => {
  it('keeps one hash per alias with the fields seen and written', async () => {
    const prefix = file.next();
    const state = {
      fn: 'payments-api',
      alias: 'prod',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:payments-api:prod',
      routing: { primary: '7' },
      revisionId: 'r',
      description: '',
    };
    await new RedisAliasMemory(redis, prefix).wrote(state, 'req-1', new Date('2025-01-01T00:00:00.000Z'));
    const stored = await redis.hgetall(redisKeys(prefix).alias('payments-api', 'prod'));
    expect(Object.keys(stored).sort()).toEqual(['seen', 'written']);
    expect(JSON.parse(stored.seen ?? '')).toEqual(state);
  });

  it('forgets a value that no longer parses instead of trusting it', async () => {
    const prefix = file.next();
    await redis.hset(redisKeys(prefix).alias('payments-api', 'prod'), 'seen', '{"fn":1}', 'written', 'nope');
    expect(await new RedisAliasMemory(redis, prefix).recall('payments-api', 'prod')).toEqual({});
  });
});
