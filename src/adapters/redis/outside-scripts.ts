/**
 * The Lua scripts behind RedisOutsideStore: each runs atomically, which is what makes a change
 * alerted once across replicas and an alert posted by one watcher at a time. Every key is declared
 * and under the `{outside}` hash tag (one Cluster slot).
 */
import { LuaScript } from './lua.js';

/**
 * Compare-and-set of a function's watch state with the alerts of what changed, in one step.
 * KEYS: watch hash, undelivered zset, looking zset, then one alert hash per alert.
 * ARGV: expected rev ('0' = never watched), next state JSON, now ms, alert TTL ms, then per alert: id, facts JSON,
 * who JSON, looking (1/0). Answers 1 when this caller moved the state, 0 when another did first.
 */
export const RECORD = new LuaScript(`
local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', tonumber(rev) + 1, 'state', ARGV[2])
for i = 4, #KEYS do
  local a = 5 + (i - 4) * 4
  redis.call('HSET', KEYS[i], 'id', ARGV[a], 'facts', ARGV[a + 1], 'who', ARGV[a + 2], 'post', 'due', 'rev', 1)
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[a])
  if ARGV[a + 3] == '1' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[a]) end
end
return 1
`);

/**
 * Takes an alert's post: when due, or when taken by an older fencing token long enough ago that its
 * post cannot still be under way. KEYS: alert. ARGV: token, now ms, takeover ms. Answers 1 when taken.
 */
export const TAKE = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'post')
if not state then return 0 end
local take = state == 'due'
if not take then
  local token, at = string.match(state, '^taken:(%d+):(%d+)$')
  take = token ~= nil and tonumber(token) < tonumber(ARGV[1]) and tonumber(ARGV[2]) - tonumber(at) >= tonumber(ARGV[3])
end
if not take then return 0 end
redis.call('HSET', KEYS[1], 'post', 'taken:' .. ARGV[1] .. ':' .. ARGV[2])
return 1
`);

/** The post went out: where it is. KEYS: alert, undelivered zset. ARGV: id, ref JSON. */
export const DELIVERED = new LuaScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'post', 'done', 'ref', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`);

/** Due again from `retry at`, if this token still has it. KEYS: alert, undelivered zset. ARGV: token, id, retry-at ms. */
export const GIVE_BACK = new LuaScript(`
local state = redis.call('HGET', KEYS[1], 'post')
if state and string.sub(state, 1, string.len(ARGV[1]) + 7) == 'taken:' .. ARGV[1] .. ':' then
  redis.call('HSET', KEYS[1], 'post', 'due')
  redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
  return 1
end
return 0
`);

/**
 * Who made the change, once: while the alert is still looking. KEYS: alert, looking zset. ARGV: id, who JSON.
 */
export const IDENTIFY = new LuaScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
local who = redis.call('HGET', KEYS[1], 'who')
if not who or not string.find(who, '"state":"looking"', 1, true) then return 0 end
redis.call('HSET', KEYS[1], 'who', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`);

/**
 * A decision, unless one settles it already: a revert or an accept, once, and never both; a failed
 * revert and a paused rollout are notes. KEYS: alert. ARGV: field, JSON. Answers 1, 0, or -1 (no alert).
 */
export const DECIDE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[1] == 'reverted' or ARGV[1] == 'accepted' then
  if redis.call('HEXISTS', KEYS[1], 'reverted') == 1 or redis.call('HEXISTS', KEYS[1], 'accepted') == 1 then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`);
