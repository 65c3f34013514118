/**
 * The bot's Sentinel connection (connectRedis) against a Sentinel set: when ioredis's failover
 * detector aborts a reconnection under way (it hears `+switch-master` while the client asks the
 * sentinels for the primary, which is when a failover announces itself), ioredis ends the client
 * for good; the bot's connection connects again. The abort is made here exactly as the detector
 * makes it, so that the race a failover drill hits about once in 50 kills happens every time.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../src/adapters/redis/client.js';
import { type SentinelSet, startSentinelSet } from '../../support/redis-topology.js';

let set: SentinelSet;

beforeAll(async () => {
  set = await startSentinelSet();
});

afterAll(async () => {
  await set?.stop();
});

async function connected(): Promise<Redis> {
  const redis = connectRedis({
    topology: { kind: 'sentinel', sentinels: set.sentinelAddresses, name: set.masterName, tls: false },
    ackTimeoutMs: 1000,
  }) as Redis;
  redis.on('error', () => {}); // expected while the connection is down; the writes tell the outcome
  await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

/** What ioredis's FailoverDetector does on `+switch-master`: it disconnects the connector. */
function detectorDisconnects(redis: Redis): void {
  (redis as unknown as { connector: { disconnect(): void } }).connector.disconnect();
}

async function writesWithin(redis: Redis, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (
      await redis.set('sentinel-client', '1').then(
        () => true,
        () => false,
      )
    )
      return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('connectRedis on Sentinel', () => {
  it('connects again when the failover detector aborts a reconnection (ioredis alone ends the client for good)', async () => {
    const redis = await connected();
    const statuses: string[] = [];
    for (const s of ['connecting', 'end', 'ready']) redis.on(s, () => statuses.push(s));
    redis.once('connecting', () => detectorDisconnects(redis));
    redis.disconnect(true); // as when the primary goes away: the client reconnects
    expect(await writesWithin(redis, 5000)).toBe(true);
    expect(statuses.slice(0, 3)).toEqual(['connecting', 'end', 'connecting']);
    redis.disconnect();
  });

  it('stays closed after its own disconnect(), even one made while connecting', async () => {
    const redis = await connected();
    redis.once('connecting', () => redis.disconnect());
    redis.disconnect(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(redis.status).toBe('end');
  });
});
