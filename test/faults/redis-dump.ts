import type { RedisClient } from '../../src/adapters/redis/client.js';
import { keysUnder } from '../support/redis.js';

/**
 * Every value stored under `prefix`, as text, one entry per key (strings, hashes, lists, sets,
 * sorted sets, streams). Keys are found node by node (a Cluster's too), then read through `redis`.
 */
export async function redisText(redis: RedisClient, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of await keysUnder(redis, prefix)) out.push(`${key} ${JSON.stringify(await stored(redis, key))}`);
  return out;
}

async function stored(redis: RedisClient, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, '0', '-1', 'WITHSCORES');
    case 'stream':
      return redis.xrange(key, '-', '+');
    default:
      return null;
  }
}
