import type { Lease } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { LuaScript } from './lua.js';

/**
 * Takes the lease if free (with a new fencing token from a counter that only grows) or renews it
 * if `holder` has it; answers the token, or nil when another holder has it.
 * KEYS: lease, fence counter. ARGV: holder, ttl ms.
 */
const ACQUIRE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, '|', 1, true)
  if string.sub(current, 1, sep - 1) ~= ARGV[1] then return false end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(string.sub(current, sep + 1))
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token
`);

/** Deletes the lease only if `holder` still has it. KEYS: lease. ARGV: holder. */
const RELEASE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** Leases in Redis: `{p}{lease:{name}}` holds `holder|token`; `{p}{lease:{name}}:fence` counts holders (one slot). */
export class RedisLease implements Lease {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    try {
      const token = await ACQUIRE.run(this.redis, [this.key(name), this.keys.leaseFence(name)], [holder, ttlMs]);
      return typeof token === 'number' ? token : undefined;
    } catch (error) {
      throw redisFailure(error, `taking the ${name} lease`);
    }
  }

  async holds(name: string, holder: string, token: number): Promise<boolean> {
    try {
      return (await this.redis.get(this.key(name))) === `${holder}|${token}`;
    } catch (error) {
      throw redisFailure(error, `checking the ${name} lease`);
    }
  }

  async release(name: string, holder: string): Promise<void> {
    try {
      await RELEASE.run(this.redis, [this.key(name)], [holder]);
    } catch (error) {
      throw redisFailure(error, `releasing the ${name} lease`);
    }
  }

  private key(name: string): string {
    return this.keys.lease(name);
  }
}
