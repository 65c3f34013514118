/**
 * Locks across replicas: one Redis string per lock, set only if absent (SET NX) and expiring on
 * its own (PX), so a replica that dies holding a lock blocks others for at most the TTL.
 */
import { randomBytes } from 'node:crypto';
import type { LockOwner, LockResult, Locks } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { LuaScript } from './lua.js';

/** Deletes the lock only if it still holds this owner's exact value: an expired lock taken over since is left alone. */
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * How long after a failed release it is tried again (and again, until the lock would have expired
 * by itself). Short: while Redis is away an attempt fails at once and costs nothing, and once it is
 * back the lock must be gone before its owner's next command comes, perhaps through another replica.
 */
const RELEASE_RETRY_MS = 50;
/** How often an abandoned acquisition looks for its SET landing late (each look is one EVAL). */
const LATE_SET_POLL_MS = 100;

/** Shown when a lock's value cannot be read as an owner (written by something else than this class). */
const UNKNOWN_HOLDER: LockOwner = { actor: 'unknown', request: 'unknown', action: 'unknown' };

export class RedisLocks implements Locks {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async acquire(name: string, owner: LockOwner, ttlMs: number): Promise<LockResult> {
    const key = this.keys.lock(name);
    // The random token makes the value unique to this acquisition, so that release can tell
    // "my lock" from "a lock the same person took again after mine expired".
    const value = JSON.stringify({
      token: randomBytes(16).toString('hex'),
      actor: owner.actor,
      request: owner.request,
      action: owner.action,
    });
    const expires = Date.now() + ttlMs;
    try {
      // Two tries: the holder's lock may expire or be released between our SET and our GET.
      for (let attempt = 0; attempt < 2; attempt++) {
        if ((await this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK') {
          return { acquired: true, release: () => this.release(key, value, expires) };
        }
        const held = await this.redis.get(key);
        // Our own value: the SET ran twice (ioredis resends a command whose reply was lost
        // when the connection dropped), and the first run took the lock.
        if (held === value) return { acquired: true, release: () => this.release(key, value, expires) };
        if (held !== null) return { acquired: false, holder: holderOf(held) };
      }
      return { acquired: false, holder: UNKNOWN_HOLDER };
    } catch (error) {
      this.abandon(key, value, expires);
      throw redisFailure(error, `acquiring the lock ${name}`);
    }
  }

  async held(name: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.keys.lock(name))) === 1;
    } catch (error) {
      throw redisFailure(error, `checking the lock ${name}`);
    }
  }

  /**
   * After a failed acquisition (a timeout, say), the SET may still run: Redis frozen with the
   * command in its socket runs it when it wakes, and the lock would then block its alias for the
   * whole TTL on behalf of a request already refused. The release is sent on the same connection,
   * so Redis runs it right after that SET. EVAL, not EVALSHA: this must not depend on the script
   * cache, as its NOSCRIPT fallback would come too late. A Cluster gives no such order: ioredis
   * keeps re-sending a command through redirections and a failover after the caller stopped
   * waiting for it, so the SET can land seconds after this release found nothing to delete
   * (measured in the failover drill: such locks then held aliases for their whole 30 s). Until it
   * deletes the lock, or the lock would have expired anyway, the release is repeated.
   */
  private abandon(key: string, value: string, expires: number): void {
    this.redis.eval(RELEASE.source, 1, key, value).then(
      (deleted) => {
        if (deleted !== 1) this.releaseLater(key, value, expires, 'until-deleted');
      },
      () => this.releaseLater(key, value, expires, 'until-deleted'),
    );
  }

  private async release(key: string, value: string, expires: number): Promise<void> {
    try {
      await RELEASE.run(this.redis, [key], [value]);
    } catch (error) {
      this.releaseLater(key, value, expires, 'until-run');
      throw redisFailure(error, 'releasing a lock');
    }
  }

  /**
   * A release that failed (Redis away, a failover under way) leaves the lock in Redis whenever its
   * SET got there first (a replica promoted in a failover has it): the alias would stay blocked, for
   * the rest of the TTL, by a request that is over, and its owner told "being changed by another
   * request". Deleting only this acquisition's own value is safe to repeat at any time, so it is
   * tried again, in the background, until it runs (or, for an abandoned acquisition, until it
   * deletes the lock) or the lock has expired by itself.
   */
  private releaseLater(key: string, value: string, expires: number, until: 'until-run' | 'until-deleted'): void {
    const wait = until === 'until-run' ? RELEASE_RETRY_MS : LATE_SET_POLL_MS;
    if (Date.now() + wait >= expires) return;
    const again = () => this.releaseLater(key, value, expires, until);
    const retry = () =>
      void RELEASE.run(this.redis, [key], [value]).then((deleted) => {
        if (until === 'until-deleted' && deleted !== 1) again();
      }, again);
    setTimeout(retry, wait).unref();
  }
}

function holderOf(value: string): LockOwner {
  try {
    const parsed = JSON.parse(value) as Partial<Record<keyof LockOwner, unknown>>;
    const { actor, request, action } = parsed;
    if (typeof actor === 'string' && typeof request === 'string' && typeof action === 'string') {
      return { actor, request, action };
    }
  } catch {
    // Not JSON: fall through to the unknown holder.
  }
  return UNKNOWN_HOLDER;
}
