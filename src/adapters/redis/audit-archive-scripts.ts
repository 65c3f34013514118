/**
 * The atomic steps of archiving on the Redis side, each one script in the `{audit}` slot: claiming
 * the next segment and moving the archived position (compare-and-set, so two archivers never both
 * write or record a segment), and trimming what is both archived and old, together with the trim base verification starts on.
 */
import { GENESIS } from '../../domain/audit.js';
import { LuaScript } from './lua.js';

/**
 * KEYS: 1 the archived position (hash: id, hash, segments, key, at, claim).
 * ARGV: 1 expected id, 2 expected hash, 3 next id, 4 next hash, 5 the segment's key, 6 when (ISO),
 *   7 the key of the segment after it to claim, or '' to clear the claim.
 * Returns 1 when moved (and the claim cleared or the next one set), 0 when the position is no longer
 * the expected one (another archiver won).
 */
export const ADVANCE = new LuaScript(`
local cur = redis.call('HMGET', KEYS[1], 'id', 'hash')
if (cur[1] or '0') ~= ARGV[1] or (cur[2] or '${GENESIS}') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'id', ARGV[3], 'hash', ARGV[4], 'key', ARGV[5], 'at', ARGV[6])
redis.call('HINCRBY', KEYS[1], 'segments', 1)
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'claim', ARGV[7])
else
  redis.call('HDEL', KEYS[1], 'claim')
end
return 1
`);

/**
 * KEYS: 1 the archived position. ARGV: 1 expected id, 2 expected hash, 3 the key of the segment to write next.
 * Returns 1 when claimed (or already claimed with this very key), 0 when the position moved or
 * another segment is claimed.
 */
export const CLAIM = new LuaScript(`
local cur = redis.call('HMGET', KEYS[1], 'id', 'hash', 'claim')
if (cur[1] or '0') ~= ARGV[1] or (cur[2] or '${GENESIS}') ~= ARGV[2] then return 0 end
if cur[3] then
  if cur[3] == ARGV[3] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], 'claim', ARGV[3])
return 1
`);

/**
 * KEYS: 1 the log stream, 2 the archived position, 3 the trim base (hash: id, hash, at), 4 the set of
 *   pending intents, 5… the index streams of the functions whose records are trimmed.
 * ARGV: 1 the last record to trim, as the caller would have it.
 * The script clamps that to what may go: never past the archived position (an unarchived record
 * exists only here), never at or past the oldest intent still waiting for its outcome (the settler
 * reads it). The base takes its hash and time from the stored record itself, so verification after
 * the trim starts on exactly what was removed. Log entries are `{id}-0`, so one XTRIM MINID removes
 * records up to the base; index entries have Redis-made IDs but are added in record order (appends
 * are serial), so each index is trimmed up to its first entry for a record that stays.
 * Returns the base after the call {id, hash, at}, or an empty list when nothing was ever trimmed;
 * an error (nothing removed) when the last record to trim is missing or unreadable.
 */
export const TRIM = new LuaScript(`
local through = tonumber(ARGV[1])
local archived = tonumber(redis.call('HGET', KEYS[2], 'id') or '0')
if archived < through then through = archived end
local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')[2]
if oldest and tonumber(oldest) - 1 < through then through = tonumber(oldest) - 1 end
local base = redis.call('HMGET', KEYS[3], 'id', 'hash', 'at')
local from = tonumber(base[1] or '0')
if through <= from then
  if base[1] then return base end
  return {}
end
local entry = redis.call('XRANGE', KEYS[1], through .. '-0', through .. '-0')[1]
local rec
if entry then
  for i = 1, #entry[2], 2 do
    if entry[2][i] == 'rec' then rec = entry[2][i + 1] end
  end
end
local ok, record = pcall(cjson.decode, rec or '')
if not ok or type(record) ~= 'table' or type(record.hash) ~= 'string' or type(record.at) ~= 'string' then
  return redis.error_reply('AUDITTRIM record ' .. through .. ' is missing or unreadable: run audit verify')
end
redis.call('XTRIM', KEYS[1], 'MINID', (through + 1) .. '-0')
local page = through - from + 1
for k = 5, #KEYS do
  local start = '-'
  local keep = nil
  local done = false
  while not done do
    local entries = redis.call('XRANGE', KEYS[k], start, '+', 'COUNT', page)
    for _, e in ipairs(entries) do
      local id
      for i = 1, #e[2], 2 do
        if e[2][i] == 'id' then id = tonumber(e[2][i + 1]) end
      end
      if id and id > through then
        keep = e[1]
        break
      end
    end
    if keep or #entries < page then
      done = true
    else
      start = '(' .. entries[#entries][1]
    end
  end
  if keep then
    redis.call('XTRIM', KEYS[k], 'MINID', keep)
  else
    redis.call('XTRIM', KEYS[k], 'MAXLEN', 0)
  end
end
redis.call('HSET', KEYS[3], 'id', through, 'hash', record.hash, 'at', record.at)
return {tostring(through), record.hash, record.at}
`);
