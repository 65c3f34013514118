import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisLease } from '../../../src/adapters/redis/lease.js';
import { leaseContract } from '../../contract/ports/lease.case.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';

const filePrefix = testPrefix('lease');
let redis: Redis;
let n = 0;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, filePrefix);
  redis.disconnect();
});

// Redis expires keys by its own clock: the one real wait here is the 50 ms TTL.
leaseContract('Redis', async () => ({
  lease: new RedisLease(redis, `${filePrefix}${n++}:`),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));
