/**
 * The settler's pass, run by the drill once the bots have stopped, instead of waiting two minutes
 * of real time for the bots' own leader job. It is the bot's `IntentSettler` over the bot's Redis
 * adapters (with the same REDIS_REPLICAS_ACK) and AWS adapters; only its clock is two minutes
 * ahead, so that every intent left open counts as old enough. Nothing of the bot runs meanwhile:
 * no change can be under way, which is what the two minutes stand for.
 */
import { readFileSync } from 'node:fs';
import { systemClock } from '../../../src/adapters/clock.js';
import { connectRedis } from '../../../src/adapters/redis/client.js';
import { RedisLease } from '../../../src/adapters/redis/lease.js';
import { redisStores } from '../../../src/adapters/redis/stores.js';
import { parsePolicy } from '../../../src/config/policy.js';
import { parseRedisSettings } from '../../../src/config/redis.js';
import type { Clock } from '../../../src/ports.js';
import { IntentSettler, SETTLE_AFTER_MS } from '../../../src/services/intent-settler.js';
import { botAws } from '../../support/bot-aws.js';
import type { DrillWorld } from './world.js';

/** Settles every intent left without an outcome; answers how many, and any warning the settler gave. */
export async function settleNow(drill: DrillWorld): Promise<{ settled: number; warnings: string[] }> {
  const { world, topology, ack } = drill;
  const parsed = parseRedisSettings({ ...topology.env, REDIS_KEY_PREFIX: world.prefix });
  const policy = parsePolicy(readFileSync(world.policyFile, 'utf8'));
  if (!parsed.ok || !policy.ok) throw new Error('the drill’s own Redis settings or policy do not parse');
  const redis = connectRedis(parsed.redis, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  const aws = botAws(world.emulator.url, policy.policy);
  const later: Clock = { now: () => new Date(Date.now() + SETTLE_AFTER_MS), sleep: systemClock.sleep };
  const stores = redisStores(redis, world.prefix, systemClock, { replicas: ack, timeoutMs: 1000 });
  const warnings: string[] = [];
  const settler = new IntentSettler({
    fleet: aws.fleet,
    lambda: aws.lambda,
    audit: stores.audit,
    aliases: stores.aliases,
    clock: later,
    warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
  });
  // Under the job's own lease, as the leader job runs it: a bot still holding it would be a bug here.
  const lease = new RedisLease(redis, world.prefix);
  const holder = 'failover-drill';
  try {
    const token = await lease.acquire('intent-settler', holder, 60_000);
    if (token === undefined) throw new Error('a bot still holds the intent-settler lease after stopping');
    let settled = 0;
    for (;;) {
      const run = await settler.run(() => lease.holds('intent-settler', holder, token));
      settled += run.settled;
      if (run.settled === 0) return { settled, warnings };
    }
  } finally {
    await lease.release('intent-settler', holder).catch(() => {});
    redis.disconnect();
    aws.close();
  }
}

/**
 * The drill's own reader of the audit log, over the drill's topology (for what only the log shows,
 * such as a rollout's completion); reads that fail during a failover answer "not yet".
 */
export async function auditReader(drill: DrillWorld) {
  const { world, topology } = drill;
  const parsed = parseRedisSettings({ ...topology.env, REDIS_KEY_PREFIX: world.prefix });
  if (!parsed.ok) throw new Error('the drill’s own Redis settings do not parse');
  const redis = connectRedis(parsed.redis, { lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();
  const stores = redisStores(redis, world.prefix, systemClock);
  return {
    completed: async (fn: string, alias: string): Promise<boolean> => {
      const records = await stores.audit
        .recent({ fn, alias, actions: ['canary.complete'], results: ['ok'], limit: 1 })
        .catch(() => []);
      return records.length > 0;
    },
    close: () => redis.disconnect(),
  };
}
