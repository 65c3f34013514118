import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isReplyError } from './errors.js';

/**
 * A Lua script sent by its SHA-1 (EVALSHA), so the source crosses the network only when Redis
 * does not have it cached yet (after a restart or SCRIPT FLUSH): then EVAL runs it and caches it.
 * The shared connection is left as it is (no `defineCommand` on it).
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script; every key it touches is in `keys`, as Redis requires. */
  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(isReplyError(error) && error.message.startsWith('NOSCRIPT'))) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
