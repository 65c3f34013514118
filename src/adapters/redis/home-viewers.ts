import type { HomeViewers } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { redisKeys } from './keys.js';

/** Kept this long after someone last opened Home: CONTRACT §12's 24 h. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** Who opened App Home, a sorted set of user → last opened (ms); entries past a day are trimmed on each write. */
export class RedisHomeViewers implements HomeViewers {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = redisKeys(prefix).homeViewers;
  }

  async opened(user: string, at: Date): Promise<void> {
    const ms = at.getTime();
    try {
      const replies = await this.redis
        .multi()
        .zadd(this.key, 'GT', ms, user)
        .zremrangebyscore(this.key, '-inf', `(${ms - KEEP_MS}`)
        .pexpire(this.key, KEEP_MS)
        .exec();
      const failed = replies?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    } catch (error) {
      throw redisFailure(error, 'recording who opened Home');
    }
  }

  async since(since: Date): Promise<string[]> {
    try {
      return await this.redis.zrangebyscore(this.key, since.getTime(), '+inf');
    } catch (error) {
      throw redisFailure(error, 'reading who opened Home');
    }
  }
}
