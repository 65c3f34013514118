import type { ChangeFeed, FeedCursor } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

/** Entries read at once; more wait for the next read, which returns at once. */
const COUNT = 1000;

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * The audit log's stream as Home's change feed. `next` blocks (XREAD BLOCK), so it runs on a
 * connection of its own (`tail`, made by the composition root with a command timeout longer than
 * the block): the bot's shared connection is never held by it. The published position is a plain
 * key on the shared connection.
 */
export class RedisChangeFeed implements ChangeFeed {
  private readonly keys: RedisKeys;

  constructor(
    private readonly tail: RedisClient,
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async latest(): Promise<FeedCursor> {
    try {
      const last = (await this.redis.xrevrange(this.keys.auditLog, '+', '-', 'COUNT', 1))[0];
      return last?.[0] ?? '0-0';
    } catch (error) {
      throw redisFailure(error, 'reading the end of the audit log');
    }
  }

  async next(after: FeedCursor, blockMs: number): Promise<{ cursor: FeedCursor; count: number }> {
    try {
      const reply = (await this.tail.xread(
        'COUNT',
        COUNT,
        'BLOCK',
        blockMs,
        'STREAMS',
        this.keys.auditLog,
        after,
      )) as XReadReply;
      const entries = reply?.[0]?.[1] ?? [];
      return { cursor: entries.at(-1)?.[0] ?? after, count: entries.length };
    } catch (error) {
      throw redisFailure(error, 'waiting for audit records');
    }
  }

  async published(): Promise<FeedCursor | undefined> {
    try {
      return (await this.redis.get(this.keys.homePublished)) ?? undefined;
    } catch (error) {
      throw redisFailure(error, 'reading what Home published');
    }
  }

  async markPublished(cursor: FeedCursor): Promise<void> {
    try {
      await this.redis.set(this.keys.homePublished, cursor);
    } catch (error) {
      throw redisFailure(error, 'recording what Home published');
    }
  }

  close(): void {
    this.tail.disconnect();
  }
}
