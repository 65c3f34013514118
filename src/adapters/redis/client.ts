import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging.js';

/**
 * How every connection of the bot behaves; tools, tests and benchmarks connect the same way, so
 * that what they measure and prove holds for the bot.
 */
export const REDIS_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  /**
   * A command with no answer fails after this long. Without it, a Redis that hangs with its
   * socket open (stopped, swapping, a network partition with no reset) holds every command
   * forever, and the user who asked for a change never hears back. The bot sends no blocking
   * commands, and its longest one (an audit batch of 100 records) takes milliseconds.
   */
  commandTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2000),
} as const satisfies RedisOptions;

/**
 * One Redis connection for the whole process. Commands fail at once while Redis is away
 * (no offline queue), and after `commandTimeout` while it does not answer: a write must be
 * refused with a clear message, not queued to run minutes later against a state the user no
 * longer sees. Reconnection is automatic.
 */
export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, REDIS_OPTIONS);
  let down = false;
  redis.on('ready', () => {
    if (down) log.info('redis is back');
    down = false;
  });
  redis.on('error', (error: Error) => {
    if (!down) log.warn({ err: error.message }, 'redis unavailable; retrying');
    down = true;
  });
  return redis;
}
