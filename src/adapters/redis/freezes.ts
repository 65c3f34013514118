import type { Freeze } from '../../domain/policy.js';
import type { FreezeStore } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

/** Freezes in one Redis hash: few, small, read on every gated command. */
export class RedisFreezeStore implements FreezeStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async list(fn: string): Promise<Freeze[]> {
    try {
      const all = await this.redis.hgetall(this.keys.freezes);
      return Object.entries(all)
        .filter(([field]) => field === fn || field.startsWith(`${fn}:`))
        .map(([, json]) => JSON.parse(json) as Freeze);
    } catch (error) {
      throw redisFailure(error, 'reading freezes');
    }
  }

  async put(freeze: Freeze): Promise<void> {
    try {
      await this.redis.hset(this.keys.freezes, field(freeze.fn, freeze.alias), JSON.stringify(freeze));
    } catch (error) {
      throw redisFailure(error, 'saving a freeze');
    }
  }

  async remove(fn: string, alias?: string): Promise<boolean> {
    try {
      return (await this.redis.hdel(this.keys.freezes, field(fn, alias))) === 1;
    } catch (error) {
      throw redisFailure(error, 'lifting a freeze');
    }
  }
}

/** Function names cannot contain ':', so `fn:alias` never collides with another function's field. */
function field(fn: string, alias: string | undefined): string {
  return alias === undefined ? fn : `${fn}:${alias}`;
}
