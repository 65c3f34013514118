/**
 * The one atomic step of appending to the audit chain: compare the stored head with the head
 * the records were sealed on and, only if they match, add the records, their index entries and
 * the new head together. Redis's Lua has no SHA-256, so hashing stays in the client; the script
 * only guarantees that no two writers chain onto the same head.
 */
import { randomBytes } from 'node:crypto';
import { type AuditEntry, type AuditRecord, GENESIS, intentKey, intentRole, seal } from '../../domain/audit.js';
import { encodeRecord } from '../../domain/audit-codec.js';
import { BotError } from '../../domain/errors.js';
import type { RedisClient } from './client.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua.js';

/** The last record of the chain, or `{ id: 0, hash: GENESIS }` when the log is empty. */
export interface Head {
  readonly id: number;
  readonly hash: string;
}

/**
 * KEYS: 1 the log stream, 2 the head hash, 3 the set of intents still pending, 4… the index streams
 *   of the functions in the batch (all of them under one hash tag: one Cluster slot).
 * ARGV: 1 expected head id, 2 expected head hash, 3 the hash of the batch's last record (the new
 *   head), 4 this call's token (kept beside the first record as field `batch`), then for each
 *   record, in order (ids follow the expected head: id + 1, id + 2, …): its JSON; its index line:
 *   '' for no index entry, else `k alias action result` separated by single spaces (k: the
 *   record's index key in KEYS; alias '' for none); and its intent mark: '' for none, `+member`
 *   for an intent (added to the pending set, scored by its id), `-member` for an outcome (the
 *   intent it answers leaves the set). Three arguments a record, not one per field: every
 *   argument costs time on both sides, and appends are hot.
 * Returns {1, id, hash} when the batch is in the log, {0, id, hash} when the head moved and it
 * is not, in both cases with the head as stored now; or an error, with nothing written.
 * Idempotent: ioredis resends a command whose reply was lost when the connection dropped, so the
 * same call can run twice. The second run finds the head moved, but its first record already
 * stored byte for byte with its own token, and reports success instead of letting the client
 * chain the batch a second time. The token matters: two replicas can seal byte-identical records
 * (the same refusal of two duplicate clicks, in the same millisecond, onto the same head), and
 * the loser's record must be sealed again and kept, not taken for already written.
 * Everything that can be refused is checked before the first write; the first XADD (its ID must
 * exceed every ID in the stream) is the last such check, so a failed call leaves no partial batch.
 * Ids are Lua numbers: exact up to 10^14 records.
 */
const SOURCE = `
local head = redis.call('HMGET', KEYS[2], 'id', 'hash')
local id = head[1] or '0'
local hash = head[2] or '${GENESIS}'
local base = tonumber(ARGV[1])
if id ~= ARGV[1] or hash ~= ARGV[2] then
  local first = redis.call('XRANGE', KEYS[1], (base + 1) .. '-0', (base + 1) .. '-0')[1]
  if first and first[2][2] == ARGV[5] and first[2][4] == ARGV[4] then
    return {1, id, hash}
  end
  return {0, id, hash}
end
for k = 4, #KEYS do
  local kind = redis.call('TYPE', KEYS[k])['ok']
  if kind ~= 'stream' and kind ~= 'none' then
    return redis.error_reply('AUDITINDEX ' .. KEYS[k] .. ' is a ' .. kind .. ', not a stream')
  end
end
local n = (#ARGV - 4) / 3
local entries = {}
for i = 1, n do
  local line = ARGV[3 + 3 * i]
  if line ~= '' then
    local k, alias, action, result = string.match(line, '^(%d+) (%S*) (%S+) (%S+)$')
    local key = k and tonumber(k) >= 4 and KEYS[tonumber(k)]
    if not key then
      return redis.error_reply('AUDITINDEX bad index line for record ' .. (base + i) .. ': ' .. line)
    end
    entries[#entries + 1] = {key, base + i, alias, action, result}
  end
end
local added = redis.pcall('XADD', KEYS[1], (base + 1) .. '-0', 'rec', ARGV[5], 'batch', ARGV[4])
if type(added) == 'table' and added.err then
  return redis.error_reply('AUDITHEAD the head says record ' .. id .. ' but the log holds later records: ' .. added.err)
end
for i = 2, n do
  redis.call('XADD', KEYS[1], (base + i) .. '-0', 'rec', ARGV[2 + 3 * i])
end
for _, e in ipairs(entries) do
  redis.call('XADD', e[1], '*', 'id', e[2], 'alias', e[3], 'action', e[4], 'result', e[5])
end
for i = 1, n do
  local mark = ARGV[4 + 3 * i]
  local sign = string.sub(mark, 1, 1)
  if sign == '+' then
    redis.call('ZADD', KEYS[3], base + i, string.sub(mark, 2))
  elseif sign == '-' then
    redis.call('ZREM', KEYS[3], string.sub(mark, 2))
  end
end
redis.call('HSET', KEYS[2], 'id', base + n, 'hash', ARGV[3])
return {1, tostring(base + n), ARGV[3]}
`;

const script = new LuaScript(SOURCE);

/** Whether the batch is in the log, and the head as Redis stores it now. */
export interface AppendOutcome {
  readonly written: boolean;
  readonly head: Head;
  /** Replicas that confirmed the batch (WAIT), when some were asked for. */
  readonly acked: number;
}

/** A sealed record with its stored form (encodeRecord), made once, when it is sealed. */
export interface Sealed {
  readonly record: AuditRecord;
  readonly json: string;
}

/** Seals `entry` at `id` after `prev`, ready to send. */
export function sealForLog(entry: AuditEntry, place: { id: number; at: Date; prev: string }): Sealed {
  const record = seal(entry, place);
  return { record, json: encodeRecord(record) };
}

/** Sends one sealed batch (consecutive ids after `expected`) to Redis in one atomic call. */
export async function appendBatch(
  redis: RedisClient,
  keys: RedisKeys,
  expected: Head,
  batch: readonly Sealed[],
  /**
   * Marks this call's first entry, so that a resent command (same token) is told from another
   * writer's batch that happens to begin with the very same record: two identical refusals
   * sealed in the same millisecond onto the same head must both be kept.
   */
  token: string = randomBytes(8).toString('hex'),
  durability: Durability = NO_REPLICAS,
): Promise<AppendOutcome> {
  const last = batch[batch.length - 1];
  if (last === undefined) return { written: true, head: expected, acked: durability.replicas };
  const indexKeys: string[] = [];
  const args: string[] = [String(expected.id), expected.hash, last.record.hash, token];
  for (const { record, json } of batch) {
    let line = '';
    if (record.function !== null) {
      const key = keys.auditIndex(record.function);
      let k = indexKeys.indexOf(key) + 4;
      if (k === 3) k = indexKeys.push(key) + 3;
      line = indexLine(k, record);
    }
    args.push(json, line, intentMark(record));
  }
  const allKeys = [keys.auditLog, keys.auditHead, keys.auditPending, ...indexKeys];
  const { reply, acked } =
    durability.replicas > 0
      ? await script.runThenWait(redis, allKeys, args, durability.replicas, durability.timeoutMs)
      : { reply: await script.run(redis, allKeys, args), acked: 0 };
  const [written, id, hash] = reply as [number, string, string];
  return { written: written === 1, head: parseHead(id, hash), acked };
}

/** How many replicas must hold a batch before it counts (REDIS_REPLICAS_ACK), and how long to wait. */
export interface Durability {
  readonly replicas: number;
  readonly timeoutMs: number;
}

export const NO_REPLICAS: Durability = { replicas: 0, timeoutMs: 0 };

/** The script's intent mark for a record: `+key` opens an intent, `-key` closes it (intentKey). */
function intentMark(r: AuditRecord): string {
  const role = intentRole(r);
  return role === 'intent' ? `+${intentKey(r)}` : role === 'outcome' ? `-${intentKey(r)}` : '';
}

function indexLine(k: number, r: AuditRecord): string {
  const line = `${k} ${r.alias ?? ''} ${r.action} ${r.result}`;
  // The script's pattern: names the bot accepts never hold spaces, but an entry that did must
  // be refused here, with its id, rather than be indexed wrong.
  if (!/^\d+ \S* \S+ \S+$/.test(line)) {
    throw new BotError('internal', `record ${r.id} cannot be indexed: alias, action or result is empty or has spaces`);
  }
  return line;
}

/** The head as stored (HMGET id hash); absent fields mean an empty log. */
export function parseHead(id: string | null, hash: string | null): Head {
  const n = Number(id ?? 0);
  if (!Number.isSafeInteger(n) || n < 0 || (id !== null && hash === null)) {
    throw new BotError('internal', `the audit head is damaged (id ${JSON.stringify(id)})`);
  }
  return { id: n, hash: hash ?? GENESIS };
}

/** Reads the head in one round trip. */
export async function readHead(redis: RedisClient, keys: RedisKeys): Promise<Head> {
  const [id, hash] = await redis.hmget(keys.auditHead, 'id', 'hash');
  return parseHead(id ?? null, hash ?? null);
}
