/**
 * The Lua scripts behind RedisAlertStore. Each runs atomically in Redis, which is what makes a
 * transition alerted once across replicas and a message sent by one poller at a time.
 */
import { LuaScript } from './lua.js';

/**
 * Compare-and-set of an alarm's last-seen state, with its effect in the same step: a new alert
 * (due to be posted, listed as open and as the alarm's latest), the latest alert reopened, or the
 * open alerts resolved or told the alarm has no data; each of the last three adds a note to the
 * alert's thread. Answers 1 when this caller moved the state, 0 when someone else did first (or
 * the alert to reopen expired: nothing moves, and the next poll raises a new one).
 * KEYS: seen hash, undelivered zset, the alarm's open set, latest hash, then the alert keys: the
 * new one (alert), the one reopened (reopen), or the open ones (resolve, no-data).
 * ARGV: alarm, expected ('' = never seen), next, effect ('none' | 'alert' | 'reopen' | 'resolve' |
 * 'no-data'), due ms, ttl ms, then alert: id, facts JSON; reopen: id, count, last ALARM (ISO),
 * context JSON, note JSON; resolve and no-data: state JSON, note JSON, then the IDs of KEYS[5..].
 * The undelivered set is scored by when each alert is next due; an alert already in it (its post
 * backing off) keeps its score.
 */
export const RECORD = new LuaScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
local effect = ARGV[4]
if effect == 'reopen' and redis.call('EXISTS', KEYS[5]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])

local function note(key, id, text)
  local seq = redis.call('HINCRBY', key, 'notes', 1)
  redis.call('HSET', key, 'note:' .. seq, text)
  -- A thread reply being sent stays its taker's: marking it delivered finds this note and leaves the task due.
  local thread = redis.call('HGET', key, 'thread')
  if not thread or thread == 'done' then redis.call('HSET', key, 'thread', 'due') end
  redis.call('HINCRBY', key, 'rev', 1)
  redis.call('ZADD', KEYS[2], 'NX', ARGV[5], id)
end

if effect == 'alert' then
  redis.call('HSET', KEYS[5], 'id', ARGV[7], 'facts', ARGV[8], 'created', ARGV[5], 'post', 'due', 'rev', 1, 'count', 1)
  redis.call('PEXPIRE', KEYS[5], ARGV[6])
  redis.call('SADD', KEYS[3], ARGV[7])
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[7])
elseif effect == 'reopen' then
  redis.call('HSET', KEYS[5], 'count', ARGV[8], 'last', ARGV[9], 'context', ARGV[10])
  redis.call('HDEL', KEYS[5], 'resolved', 'nodata')
  note(KEYS[5], ARGV[7], ARGV[11])
  -- A flapping alert lives on while it flaps: a month from its last return, as a new one would.
  redis.call('PEXPIRE', KEYS[5], ARGV[6])
  redis.call('SADD', KEYS[3], ARGV[7])
elseif effect == 'resolve' or effect == 'no-data' then
  local field = effect == 'resolve' and 'resolved' or 'nodata'
  for i = 5, #KEYS do
    local id = ARGV[i + 4]
    if redis.call('SISMEMBER', KEYS[3], id) == 1 and redis.call('EXISTS', KEYS[i]) == 1 then
      redis.call('HSET', KEYS[i], field, ARGV[7])
      note(KEYS[i], id, ARGV[8])
    end
  end
  if effect == 'resolve' then redis.call('DEL', KEYS[3]) end
end
return 1
`);

/**
 * The field that holds a task's state. Alerts resolved before thread notes existed keep the state
 * of their one reply under 'resolve' (and no notes): they are still delivered, as a thread task.
 */
const FIELD = `
local field = ARGV[1]
if field == 'thread' and redis.call('HEXISTS', KEYS[1], 'thread') == 0 and redis.call('HEXISTS', KEYS[1], 'resolve') == 1 then
  field = 'resolve'
end
`;

/**
 * Takes a message for delivery: when due, or when taken by an older fencing token long enough
 * ago that its post cannot still be under way. Thread replies wait for the alert's own post.
 * KEYS: alert. ARGV: task, token, now ms, takeover ms. Answers 1 when taken.
 */
export const TAKE = new LuaScript(`${FIELD}
local state = redis.call('HGET', KEYS[1], field)
if not state then return 0 end
if field ~= 'post' and redis.call('HGET', KEYS[1], 'post') ~= 'done' then return 0 end
local take = state == 'due'
if not take then
  local token, at = string.match(state, '^taken:(%d+):(%d+)$')
  take = token ~= nil and tonumber(token) < tonumber(ARGV[2]) and tonumber(ARGV[3]) - tonumber(at) >= tonumber(ARGV[4])
end
if not take then return 0 end
redis.call('HSET', KEYS[1], field, 'taken:' .. ARGV[2] .. ':' .. ARGV[3])
return 1
`);

/**
 * Marks a message delivered: the post (and where the alert is), or the thread notes up to a seq,
 * which are then dropped (the thread task stays due if notes came since). The alert leaves the
 * undelivered set once nothing of it is left to send.
 * KEYS: alert, undelivered zset. ARGV: task, id, ref JSON or '', notes delivered up to (thread).
 */
export const DELIVERED = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 0
end
${FIELD}
if ARGV[1] == 'thread' then
  local told = tonumber(redis.call('HGET', KEYS[1], 'told') or '0')
  local upTo = math.max(told, tonumber(ARGV[4]))
  for seq = told + 1, upTo do redis.call('HDEL', KEYS[1], 'note:' .. seq) end
  redis.call('HSET', KEYS[1], 'told', upTo)
  -- Due again only for a note still there to send: a missing one would be retried at every poll, forever.
  local notes = tonumber(redis.call('HGET', KEYS[1], 'notes') or '0')
  local pending = false
  for seq = upTo + 1, notes do
    if redis.call('HEXISTS', KEYS[1], 'note:' .. seq) == 1 then
      pending = true
      break
    end
  end
  redis.call('HSET', KEYS[1], field, pending and 'due' or 'done')
else
  redis.call('HSET', KEYS[1], field, 'done')
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'ref', ARGV[3]) end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
local thread = redis.call('HGET', KEYS[1], 'thread') or redis.call('HGET', KEYS[1], 'resolve')
if redis.call('HGET', KEYS[1], 'post') == 'done' and (not thread or thread == 'done') then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return 1
`);

/**
 * Makes a taken message due again from `retry at`, if this token still has it, and counts the
 * failure. KEYS: alert, undelivered zset. ARGV: task, token, id, retry-at ms.
 */
export const GIVE_BACK = new LuaScript(`${FIELD}
local state = redis.call('HGET', KEYS[1], field)
if state and string.sub(state, 1, string.len(ARGV[2]) + 7) == 'taken:' .. ARGV[2] .. ':' then
  redis.call('HSET', KEYS[1], field, 'due')
  redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
  return 1
end
return 0
`);

/**
 * Records a decision unless one settles it already: a rollback once; an acknowledgement once and
 * not after a rollback. KEYS: alert. ARGV: 'ack' | 'rollback', JSON. Answers 1, 0, or -1 (no alert).
 */
export const DECIDE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[1], 'rollback') == 1 then return 0 end
if ARGV[1] == 'ack' and redis.call('HEXISTS', KEYS[1], 'ack') == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`);
