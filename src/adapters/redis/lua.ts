import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';
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

  /** Runs the script; every key it touches is in `keys`, as Redis requires (and a Cluster: one slot). */
  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }

  /**
   * Runs the script, then WAIT for `replicas` to hold what it wrote, in one pipeline: WAIT counts
   * only the writes of its own connection, and on a Cluster the pipeline goes, whole, to the node
   * of the script's keys. Answers the script's reply and how many replicas confirmed (WAIT answers
   * the count when its time is up, which may be fewer than asked).
   */
  async runThenWait(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
    replicas: number,
    timeoutMs: number,
  ): Promise<{ reply: unknown; acked: number }> {
    const once = async (source: boolean) => {
      const pipeline = redis.pipeline();
      if (source) pipeline.eval(this.source, keys.length, ...keys, ...args);
      else pipeline.evalsha(this.sha, keys.length, ...keys, ...args);
      pipeline.wait(replicas, timeoutMs);
      const [[scriptError, reply] = [], [waitError, acked] = []] = (await pipeline.exec()) ?? [];
      return { scriptError, reply, waitError, acked };
    };
    let result = await once(false);
    if (isNoScript(result.scriptError)) result = await once(true);
    if (result.scriptError) throw result.scriptError;
    if (result.waitError) throw result.waitError;
    return { reply: result.reply, acked: Number(result.acked) };
  }
}

function isNoScript(error: unknown): boolean {
  return isReplyError(error) && error.message.startsWith('NOSCRIPT');
}
