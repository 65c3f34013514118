import { BotError } from '../../domain/errors.js';

/**
 * Replies with which Redis says "not now" rather than "never": the server is loading, a
 * replica, out of memory, or busy with a script; or, on a Cluster, the slot is served elsewhere
 * now (MOVED, ASK: ioredis follows them for a single command, but returns them from a pipeline
 * whose commands did not all get the same answer, as the audit script followed by WAIT does when
 * it reaches a primary that a failover has just made a replica). For the bot they mean the same as
 * a lost connection: the write did not happen and may succeed later.
 */
const TRANSIENT_REPLY =
  /^(LOADING|READONLY|MASTERDOWN|BUSY|OOM|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|NOAUTH|WRONGPASS|MOVED|ASK)\b/;

/**
 * Any failure of a Redis call, as a BotError. Connection failures (no offline queue, closed
 * socket, timeouts) and transient replies become `redis-unavailable`; any other reply error is
 * a bug or a damaged key and becomes `internal`, so that it is not mistaken for an outage.
 * @example await redis.get(key).catch((e) => { throw redisFailure(e, 'reading the lock'); })
 */
export function redisFailure(error: unknown, doing: string): BotError {
  if (error instanceof BotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isReplyError(error) && !TRANSIENT_REPLY.test(message)) {
    return new BotError('internal', `Redis refused ${doing}: ${message}`, { cause: error });
  }
  return new BotError('redis-unavailable', `Redis is unavailable (${doing}): ${message}`, { cause: error });
}

/** An error Redis itself answered with, as opposed to one of the connection. */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}
