import { BotError } from '../../domain/errors.js';
import type { Durability } from './audit-append-script.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { LuaScript } from './lua.js';

/** Ended records stay readable (for a late click's answer) for a month; the audit log keeps them for good. */
const KEEP_ENDED_S = 30 * 86_400;

/**
 * Compare-and-set of one record, with its membership of the open set and an optional unique slot
 * (one live rollout per alias). KEYS: record, open set, slot ('' key when none). ARGV: expected
 * revision ('' to create), next revision, JSON, open (1/0), score, id, TTL once ended, use slot (1/0).
 * Returns 1 when written, 0 when the revision moved, -1 when the slot is taken by another record.
 */
const WRITE = new LuaScript(`
local rev = redis.call('HGET', KEYS[1], 'rev')
if ARGV[1] == '' then
  if rev then return 0 end
elseif rev ~= ARGV[1] then
  return 0
end
if ARGV[8] == '1' and ARGV[4] == '1' then
  local holder = redis.call('GET', KEYS[3])
  if holder and holder ~= ARGV[6] then return -1 end
  redis.call('SET', KEYS[3], ARGV[6])
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'json', ARGV[3])
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
  redis.call('PERSIST', KEYS[1])
else
  redis.call('ZREM', KEYS[2], ARGV[6])
  redis.call('EXPIRE', KEYS[1], ARGV[7])
  if ARGV[8] == '1' and redis.call('GET', KEYS[3]) == ARGV[6] then redis.call('DEL', KEYS[3]) end
end
return 1
`);

export interface CasRecord {
  readonly id: string;
  readonly revision: number;
  readonly createdAt: string;
}

export interface CasLayout<T> {
  /** What the records are, for error messages ("an approval request"). */
  readonly what: string;
  key(id: string): string;
  readonly openSet: string;
  isOpen(record: T): boolean;
  /** A key only one open record may hold at a time. */
  slot?(record: T): string;
}

export type WriteResult = 'written' | 'moved' | 'slot-taken';

/**
 * JSON records replaced only as a whole and only from the revision read, with the set of those
 * still open: the storage under approval requests and rollouts, where concurrent clicks and
 * replicas must change each record exactly once.
 */
export class CasRecords<T extends CasRecord> {
  constructor(
    private readonly redis: RedisClient,
    private readonly layout: CasLayout<T>,
    /** REDIS_REPLICAS_ACK: a decision counts only once that many replicas hold it, as an audit record. */
    private readonly durability: Durability = { replicas: 0, timeoutMs: 0 },
  ) {}

  async get(id: string): Promise<T | undefined> {
    try {
      const json = await this.redis.hget(this.layout.key(id), 'json');
      return json ? (JSON.parse(json) as T) : undefined;
    } catch (error) {
      throw redisFailure(error, `reading ${this.layout.what}`);
    }
  }

  /** Open records, oldest first. */
  async open(): Promise<T[]> {
    try {
      const ids = await this.redis.zrange(this.layout.openSet, '0', '-1');
      if (ids.length === 0) return [];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.layout.key(id), 'json');
      const results = (await pipeline.exec()) ?? [];
      return results.flatMap(([error, json]) => (error || typeof json !== 'string' ? [] : [JSON.parse(json) as T]));
    } catch (error) {
      throw redisFailure(error, `listing open ${this.layout.what}s`);
    }
  }

  /** `expected` undefined: create. */
  async write(expected: T | undefined, next: T): Promise<WriteResult> {
    const { layout } = this;
    const slot = layout.slot?.(next);
    const keys = [layout.key(next.id), layout.openSet, slot ?? layout.key(`${next.id}:noslot`)];
    try {
      const write = (args: (string | number)[]) =>
        this.durability.replicas > 0
          ? WRITE.runThenWait(this.redis, keys, args, this.durability.replicas, this.durability.timeoutMs)
          : WRITE.run(this.redis, keys, args).then((reply) => ({ reply, acked: 0 }));
      const { reply: done, acked } = await write([
        expected === undefined ? '' : String(expected.revision),
        next.revision,
        JSON.stringify(next),
        layout.isOpen(next) ? 1 : 0,
        Date.parse(next.createdAt),
        next.id,
        KEEP_ENDED_S,
        slot === undefined ? 0 : 1,
      ]);
      if (done === 1 && acked < this.durability.replicas) {
        // Written on the primary only: a failover could undo it, so it does not count (and the
        // caller, as for an audit record, acts as if Redis were down).
        throw new BotError(
          'redis-unavailable',
          `Redis wrote ${layout.what}, but ${acked} of the ${this.durability.replicas} replica(s) REDIS_REPLICAS_ACK asks for confirmed it in time`,
        );
      }
      return done === 1 ? 'written' : done === -1 ? 'slot-taken' : 'moved';
    } catch (error) {
      throw redisFailure(error, `saving ${layout.what}`);
    }
  }
}
