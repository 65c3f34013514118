/**
 * Moves the keys of layout version 1 (before hash tags, keys.ts) to their names of today, once, at
 * start: an upgraded bot finds its audit log, approvals, rollouts and alerts where they were.
 * Version 1 only ever ran on one node or under Sentinel, so a Cluster has nothing to move.
 */
import { Cluster } from 'ioredis';
import { intentKey, intentRole } from '../../domain/audit.js';
import { decodeRecord } from '../../domain/audit-codec.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { LAYOUT_VERSION, layoutV1ToV2, type RedisKeys, redisKeys } from './keys.js';
import { field, streamPages } from './stream-pages.js';

const MOVE_LOCK_TTL_MS = 60_000;

export interface LayoutReport {
  readonly moved: number;
  /** Keys of version 1 whose new name already held something: left in place, named here. */
  readonly clashes: readonly string[];
}

/**
 * Makes sure the keys are in today's layout. One replica moves them (under a lock, each key with
 * RENAMENX, so a second run moves nothing twice); the others wait for it. Idempotent.
 */
export async function upgradeLayout(redis: RedisClient, prefix: string): Promise<LayoutReport> {
  const keys = redisKeys(prefix);
  try {
    if ((await redis.get(keys.layout)) === LAYOUT_VERSION) return { moved: 0, clashes: [] };
    if (redis instanceof Cluster) {
      await redis.set(keys.layout, LAYOUT_VERSION);
      return { moved: 0, clashes: [] };
    }
    const lock = keys.lock('layout');
    if ((await redis.set(lock, 'moving', 'PX', MOVE_LOCK_TTL_MS, 'NX')) !== 'OK') {
      await waitForLayout(redis, keys.layout);
      return { moved: 0, clashes: [] };
    }
    try {
      const report = await move(redis, prefix);
      await rebuildPending(redis, keys);
      await redis.set(keys.layout, LAYOUT_VERSION);
      return report;
    } finally {
      await redis.del(lock);
    }
  } catch (error) {
    throw redisFailure(error, 'moving keys to the current layout');
  }
}

async function move(redis: Exclude<RedisClient, Cluster>, prefix: string): Promise<LayoutReport> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let moved = 0;
  const clashes: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const to = layoutV1ToV2(prefix, key);
      if (to === undefined || to === key) continue;
      if ((await redis.renamenx(key, to)) === 1) moved++;
      else clashes.push(key);
    }
  } while (cursor !== '0');
  return { moved, clashes };
}

/** Whether this Redis holds an audit log still in layout version 1 (the bot moves it at its next start). */
export async function hasEarlierLayout(redis: RedisClient, prefix: string): Promise<boolean> {
  if ((await redis.get(redisKeys(prefix).layout)) === LAYOUT_VERSION) return false;
  return (await redis.exists(`${prefix}audit:head`)) === 1;
}

/**
 * Version 1 kept no set of pending intents: one pass over the log finds the intents that never got
 * their outcome (a crash between the two), so that the settler settles those too.
 */
async function rebuildPending(redis: RedisClient, keys: RedisKeys): Promise<void> {
  const open = new Map<string, number>();
  for await (const page of streamPages(redis, keys.auditLog, { direction: 'forward', count: 1000 })) {
    for (const [, fields] of page) {
      const decoded = decodeRecord(field(fields, 'rec'));
      if (!decoded.ok) continue;
      const role = intentRole(decoded.record);
      if (role === 'intent') open.set(intentKey(decoded.record), Number(decoded.record.id));
      if (role === 'outcome') open.delete(intentKey(decoded.record));
    }
  }
  for (const [member, id] of open) await redis.zadd(keys.auditPending, id, member);
}

async function waitForLayout(redis: RedisClient, key: string): Promise<void> {
  const deadline = Date.now() + MOVE_LOCK_TTL_MS;
  while (Date.now() < deadline) {
    if ((await redis.get(key)) === LAYOUT_VERSION) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('another replica is moving the keys to the current layout and has not finished');
}
