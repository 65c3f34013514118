/**
 * Redis for tests: the Redis of REDIS_URL (default 127.0.0.1:6379), connected as the bot
 * connects (no offline queue), under a key prefix of the test's own. Tests never flush the
 * database: they remove exactly the keys under their prefix.
 */

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { REDIS_OPTIONS, type RedisClient } from '../../src/adapters/redis/client.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh prefix, valid as REDIS_KEY_PREFIX, that no other test or bot uses. */
export function testPrefix(label = 'test'): string {
  return `${label}-${randomBytes(6).toString('hex')}:`;
}

/** A ready connection with the bot's options; rejects if Redis does not answer. */
export async function connect(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { ...REDIS_OPTIONS, lazyConnect: true });
  await redis.connect();
  return redis;
}

/** Removes every key under `prefix` (SCAN + UNLINK, on each primary of a Cluster), and nothing else. */
export async function cleanup(redis: RedisClient, prefix: string): Promise<void> {
  for (const node of primaries(redis)) {
    const keys = await keysOn(node, prefix);
    // One key a command: on a Cluster, keys of several slots may not share one.
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      await (redis instanceof Cluster ? Promise.all(chunk.map((k) => node.unlink(k))) : node.unlink(...chunk));
    }
  }
}

/** Every key under `prefix`, sorted, for tests that check what was (not) written. */
export async function keysUnder(redis: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of primaries(redis)) found.push(...(await keysOn(node, prefix)));
  return found.sort();
}

/** SCAN answers for one node: a Cluster is scanned primary by primary. */
function primaries(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

async function keysOn(node: Redis, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** A TCP port on which nothing listens (taken free, then closed), for "Redis is down" tests. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * One connection and one key prefix for a whole test file, cleaned up after it: `next()` gives
 * each test (or each contract-suite instance) a fresh prefix under the file's.
 */
export function redisForFile(label: string): { readonly redis: () => Redis; readonly prefix: string; next(): string } {
  const prefix = testPrefix(label);
  let redis: Redis | undefined;
  let n = 0;
  beforeAll(async () => {
    redis = await connect();
  });
  afterAll(async () => {
    if (!redis) return;
    await cleanup(redis, prefix);
    redis.disconnect();
  });
  return {
    redis: () => {
      if (!redis) throw new Error('Redis is not connected yet (use it inside a test or hook)');
      return redis;
    },
    prefix,
    next: () => `${prefix}${n++}:`,
  };
}
