/**
 * What the bot does with Redis before it serves: wait (a while) for it, move keys of an earlier
 * layout, and say what it should know about durability. Nothing here keeps a running bot waiting.
 */
import { describeTopology, type RedisSettings } from '../../config/redis.js';
import type { Logger } from '../logging.js';
import type { RedisClient } from './client.js';
import { upgradeLayout } from './layout.js';
import { describePersistence } from './persistence.js';

/**
 * How long the bot waits for Redis at start before serving anyway (not ready until it answers).
 * Short: a bot that cannot reach Redis must still answer /healthz and say why it is not ready.
 */
const WAIT_AT_START_MS = 5_000;

export async function prepareRedis(redis: RedisClient, settings: RedisSettings, log: Logger): Promise<void> {
  const where = describeTopology(settings.topology);
  if (!(await answers(redis, WAIT_AT_START_MS))) {
    log.warn({ redis: where }, 'Redis does not answer yet; the bot serves, refusing changes, until it does');
    redis.once('ready', () => void upgrade(redis, settings, log));
    return;
  }
  await upgrade(redis, settings, log);
  void warnIfForgetful(redis, settings, log);
}

async function upgrade(redis: RedisClient, settings: RedisSettings, log: Logger): Promise<void> {
  try {
    const report = await upgradeLayout(redis, settings.keyPrefix);
    if (report.moved > 0) log.info({ moved: report.moved }, 'Redis keys moved to the current layout');
    if (report.clashes.length > 0) {
      log.error(
        { keys: report.clashes.slice(0, 20), count: report.clashes.length },
        'keys of the earlier layout not moved: their new names were taken',
      );
    }
  } catch (error) {
    log.error({ err: (error as Error).message }, 'Redis keys could not be moved to the current layout');
  }
}

/**
 * An audit log must survive a restart and a failover: say so at start when Redis keeps nothing on
 * disk, and when replicas exist but REDIS_REPLICAS_ACK does not wait for them.
 */
async function warnIfForgetful(redis: RedisClient, settings: RedisSettings, log: Logger): Promise<void> {
  try {
    const persistence = await describePersistence(redis);
    if (!persistence.persistent) {
      log.warn(
        { redis: persistence.detail },
        'Redis does not persist data: the audit log would not survive a Redis restart',
      );
    }
    if (settings.topology.kind !== 'node' && settings.replicasAck === 0) {
      log.warn(
        { redis: describeTopology(settings.topology) },
        'REDIS_REPLICAS_ACK is 0: an audit record acknowledged by a primary that then dies can be lost; set it to 1',
      );
    }
  } catch {
    // Only advice: a Redis that hides CONFIG and INFO, or went away again, changes nothing here.
  }
}

async function answers(redis: RedisClient, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await redis.ping();
      return true;
    } catch {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
