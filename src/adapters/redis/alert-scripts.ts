/**
 * The Lua scripts behind RedisAlertStore. Each runs atomically in Redis, which is what makes a
 * transition alerted once across replicas and a message sent by one poller at a time.
 */
import { LuaScript } from './lua.js';

/**
 * Compare-and-set of an alarm's last-seen state, with its effect in the same step: a new alert
 * (due to be posted, listed as open and undelivered) or the open alerts resolved (each due for a
 * thread reply). Answers 1 when this caller moved the state, 0 when someone else did first.
 * KEYS: seen hash, undelivered zset, the alarm's open set, then the new alert's key (alert) or
 * the open alerts' keys (resolve).
 * ARGV: alarm, expected ('' = never seen), next, effect ('none' | 'alert' | 'resolve'), then
 * alert: id, facts JSON, created ms, ttl ms; resolve: resolved JSON, due ms, then the IDs of KEYS[4..].
 * The undelivered set is scored by when each alert is next due; an alert already in it (its post
 * backing off) keeps its score.
 */
export const RECORD = new LuaScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if ARGV[4] == 'alert' then
  redis.call('HSET', KEYS[4], 'id', ARGV[5], 'facts', ARGV[6], 'created', ARGV[7], 'post', 'due', 'rev', 1)
  redis.call('PEXPIRE', KEYS[4], ARGV[8])
  redis.call('SADD', KEYS[3], ARGV[5])
  redis.call('ZADD', KEYS[2], ARGV[7], ARGV[5])
elseif ARGV[4] == 'resolve' then
  for i = 4, #KEYS do
    local id = ARGV[i + 3]
    if redis.call('SISMEMBER', KEYS[3], id) == 1 and redis.call('EXISTS', KEYS[i]) == 1 then
      redis.call('HSET', KEYS[i], 'resolved', ARGV[5], 'resolve', 'due')
      redis.call('HINCRBY', KEYS[i], 'rev', 1)
      redis.call('ZADD', KEYS[2], 'NX', ARGV[6], id)
    end
  end
  redis.call('DEL', KEYS[3])
end
return 1
`);

/**
 * Takes a message for delivery: when due, or when taken by an older fencing token long enough
 * ago that its post cannot still be under way. A resolution waits for the alert's own post.
 * KEYS: alert. ARGV: task, token, now ms, takeover ms. Answers 1 when taken.
 */
export const TAKE = new LuaScript(`
local state = redis.call('HGET', KEYS[1], ARGV[1])
if not state then return 0 end
if ARGV[1] == 'resolve' and redis.call('HGET', KEYS[1], 'post') ~= 'done' then return 0 end
local take = state == 'due'
if not take then
  local token, at = string.match(state, '^taken:(%d+):(%d+)$')
  take = token ~= nil and tonumber(token) < tonumber(ARGV[2]) and tonumber(ARGV[3]) - tonumber(at) >= tonumber(ARGV[4])
end
if not take then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], 'taken:' .. ARGV[2] .. ':' .. ARGV[3])
return 1
`);

/**
 * Marks a message delivered (and where the alert is); the alert leaves the undelivered set once
 * nothing of it is left to send. KEYS: alert, undelivered zset. ARGV: task, id, ref JSON or ''.
 */
export const DELIVERED = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], 'done')
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'ref', ARGV[3]) end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
local resolve = redis.call('HGET', KEYS[1], 'resolve')
if redis.call('HGET', KEYS[1], 'post') == 'done' and (not resolve or resolve == 'done') then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return 1
`);

/**
 * Makes a taken message due again from `retry at`, if this token still has it, and counts the
 * failure. KEYS: alert, undelivered zset. ARGV: task, token, id, retry-at ms.
 */
export const GIVE_BACK = new LuaScript(`
local state = redis.call('HGET', KEYS[1], ARGV[1])
if state and string.sub(state, 1, string.len(ARGV[2]) + 7) == 'taken:' .. ARGV[2] .. ':' then
  redis.call('HSET', KEYS[1], ARGV[1], 'due')
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
