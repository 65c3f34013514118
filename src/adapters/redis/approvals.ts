import type { Redis } from 'ioredis';
import type { ApprovalRequest } from '../../domain/approval.js';
import type { ApprovalStore } from '../../ports.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { LuaScript } from './lua.js';

/** Decided requests stay readable (for a late click's answer) for a month; the audit log keeps them for good. */
const KEEP_ENDED_S = 30 * 86_400;

/**
 * Compare-and-set of one request. KEYS: the request, the open set. ARGV: expected revision ('' to
 * create), next revision, next JSON, 1 if still open else 0, creation time (ms), id, TTL once ended.
 */
const REPLACE = new LuaScript(`
local rev = redis.call('HGET', KEYS[1], 'rev')
if ARGV[1] == '' then
  if rev then return 0 end
elseif rev ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'json', ARGV[3])
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
  redis.call('PERSIST', KEYS[1])
else
  redis.call('ZREM', KEYS[2], ARGV[6])
  redis.call('EXPIRE', KEYS[1], ARGV[7])
end
return 1
`);

/** Approval requests in Redis; every change is one atomic compare-and-set, so concurrent clicks on any replica apply once. */
export class RedisApprovalStore implements ApprovalStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async create(request: ApprovalRequest): Promise<void> {
    if (!(await this.write('', request))) throw new Error(`approval request ${request.id} already exists`);
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    try {
      const json = await this.redis.hget(this.keys.approval(id), 'json');
      return json ? (JSON.parse(json) as ApprovalRequest) : undefined;
    } catch (error) {
      throw redisFailure(error, 'reading an approval request');
    }
  }

  replace(current: ApprovalRequest, next: ApprovalRequest): Promise<boolean> {
    return this.write(String(current.revision), next);
  }

  async open(): Promise<ApprovalRequest[]> {
    try {
      const ids = await this.redis.zrange(this.keys.openApprovals, '0', '-1');
      if (ids.length === 0) return [];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hget(this.keys.approval(id), 'json');
      const results = (await pipeline.exec()) ?? [];
      return results.flatMap(([error, json]) =>
        error || typeof json !== 'string' ? [] : [JSON.parse(json) as ApprovalRequest],
      );
    } catch (error) {
      throw redisFailure(error, 'listing open approval requests');
    }
  }

  private async write(expected: string, next: ApprovalRequest): Promise<boolean> {
    const open = next.status === 'pending' || next.status === 'approved';
    try {
      const done = await REPLACE.run(
        this.redis,
        [this.keys.approval(next.id), this.keys.openApprovals],
        [
          expected,
          next.revision,
          JSON.stringify(next),
          open ? 1 : 0,
          Date.parse(next.createdAt),
          next.id,
          KEEP_ENDED_S,
        ],
      );
      return done === 1;
    } catch (error) {
      throw redisFailure(error, 'saving an approval request');
    }
  }
}
