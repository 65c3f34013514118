/**
 * The one atomic step of appending to the audit chain: compare the stored head with the head
 * the records were sealed on and, only if they match, add the records, their index entries and
 * the new head together. Redis's Lua has no SHA-256, so hashing stays in the client; the script
 * only guarantees that no two writers chain onto the same head.
 */
import type { Redis } from 'ioredis';
import { type AuditRecord, GENESIS } from '../../domain/audit.js';
import { BotError } from '../../domain/errors.js';
import { encodeRecord } from './audit-codec.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua.js';

/** The last record of the chain, or `{ id: 0, hash: GENESIS }` when the log is empty. */
export interface Head {
  readonly id: number;
  readonly hash: string;
}

/**
 * KEYS: 1 the log stream, 2 the head hash, 3… the index streams of the functions in the batch.
 * ARGV: 1 expected head id, 2 expected head hash, 3 the number of records n, then n groups of
 *   id, rec (JSON), hash, index key number (0: no index entry), alias ('' for none), action, result.
 * Returns {1, id, hash} when the batch is in the log, {0, id, hash} when the head moved and it
 * is not, in both cases with the head as stored now; or an AUDITHEAD error when the head is
 * behind the stream (nothing is written).
 * Idempotent: ioredis resends a command whose reply was lost when the connection dropped, so the
 * same call can run twice. The second run finds the head moved, but its first record already
 * stored byte for byte (a sealed record is unique: it holds its time, request and prev), and
 * reports success instead of letting the client chain the batch a second time.
 * The only write that can fail is the first XADD (its ID must exceed every ID in the stream);
 * it runs before any other write, so a failed call leaves no partial batch.
 */
const SOURCE = `
local head = redis.call('HMGET', KEYS[2], 'id', 'hash')
local id = head[1] or '0'
local hash = head[2] or '${GENESIS}'
if id ~= ARGV[1] or hash ~= ARGV[2] then
  local first = redis.call('XRANGE', KEYS[1], ARGV[4] .. '-0', ARGV[4] .. '-0')[1]
  if first and first[2][2] == ARGV[5] then
    return {1, id, hash}
  end
  return {0, id, hash}
end
for k = 3, #KEYS do
  local kind = redis.call('TYPE', KEYS[k])['ok']
  if kind ~= 'stream' and kind ~= 'none' then
    return redis.error_reply('AUDITINDEX ' .. KEYS[k] .. ' is a ' .. kind .. ', not a stream')
  end
end
local n = tonumber(ARGV[3])
for i = 0, n - 1 do
  local a = 4 + i * 7
  local added = redis.pcall('XADD', KEYS[1], ARGV[a] .. '-0', 'rec', ARGV[a + 1])
  if type(added) == 'table' and added.err then
    return redis.error_reply('AUDITHEAD the head says record ' .. id .. ' but the log holds later records: ' .. added.err)
  end
end
for i = 0, n - 1 do
  local a = 4 + i * 7
  local k = tonumber(ARGV[a + 3])
  if k > 0 then
    redis.call('XADD', KEYS[k], '*', 'id', ARGV[a], 'alias', ARGV[a + 4], 'action', ARGV[a + 5], 'result', ARGV[a + 6])
  end
end
local last = 4 + (n - 1) * 7
redis.call('HSET', KEYS[2], 'id', ARGV[last], 'hash', ARGV[last + 2])
return {1, ARGV[last], ARGV[last + 2]}
`;

const script = new LuaScript(SOURCE);

/** Whether the batch is in the log, and the head as Redis stores it now. */
export interface AppendOutcome {
  readonly written: boolean;
  readonly head: Head;
}

/** Sends one sealed batch (consecutive ids after `expected`) to Redis in one atomic call. */
export async function appendBatch(
  redis: Redis,
  keys: RedisKeys,
  expected: Head,
  records: readonly AuditRecord[],
): Promise<AppendOutcome> {
  const indexKeys: string[] = [];
  const args: (string | number)[] = [expected.id, expected.hash, records.length];
  for (const r of records) {
    let k = 0;
    if (r.function !== null) {
      const key = keys.auditIndex(r.function);
      const at = indexKeys.indexOf(key);
      k = (at === -1 ? indexKeys.push(key) : at + 1) + 2;
    }
    args.push(r.id, encodeRecord(r), r.hash, k, r.alias ?? '', r.action, r.result);
  }
  const reply = (await script.run(redis, [keys.auditLog, keys.auditHead, ...indexKeys], args)) as [
    number,
    string,
    string,
  ];
  return { written: reply[0] === 1, head: parseHead(reply[1], reply[2]) };
}

/** The head as stored (HMGET id hash); absent fields mean an empty log. */
export function parseHead(id: string | null, hash: string | null): Head {
  const n = Number(id ?? 0);
  if (!Number.isSafeInteger(n) || n < 0 || (id !== null && hash === null)) {
    throw new BotError(
      'internal',
      `the audit head is damaged (id ${JSON.stringify(id)}): run "npm run audit -- verify"`,
    );
  }
  return { id: n, hash: hash ?? GENESIS };
}
