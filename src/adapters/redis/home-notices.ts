import type { HomeNotices } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

/** A click's answer stays atop that person's Home this long: long enough to read, not to mislead. */
const NOTICE_MS = 60_000;

/** The answers to people's last clicks on Home, each under its own key with a one-minute expiry. */
export class RedisHomeNotices implements HomeNotices {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async set(user: string, notice: string): Promise<void> {
    try {
      await this.redis.set(this.keys.homeNotice(user), notice, 'PX', NOTICE_MS);
    } catch (error) {
      throw redisFailure(error, 'keeping the answer shown on Home');
    }
  }

  async get(user: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.keys.homeNotice(user))) ?? undefined;
    } catch (error) {
      throw redisFailure(error, 'reading the answer shown on Home');
    }
  }
}
