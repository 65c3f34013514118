import type { Redis } from 'ioredis';
import { beforeAll } from 'vitest';
import { RedisLease } from '../../../src/adapters/redis/lease.js';
import { leaseContract } from '../../contract/ports/lease.case.js';
import { redisForFile } from '../../support/redis.js';

const file = redisForFile('lease');
let redis: Redis;

beforeAll(() => {
  redis = file.redis();
});

// Redis expires keys by its own clock: the one real wait here is the 50 ms TTL.
leaseContract('Redis', async () => ({
  lease: new RedisLease(redis, file.next()),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));
