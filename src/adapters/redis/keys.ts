/**
 * Every Redis key the bot writes, in one place, so the layout can be read at a glance. All
 * keys start with REDIS_KEY_PREFIX, so several bots (or test runs) can share one Redis.
 *
 * | key                          | type   | holds                                                        |
 * | ---------------------------- | ------ | ------------------------------------------------------------ |
 * | `{p}audit:log`               | stream | every audit record; entry ID `{id}-0`, one field `rec` (JSON) |
 * | `{p}audit:head`              | hash   | `id` and `hash` of the last record: what the next one chains on |
 * | `{p}audit:fn:{fn}`           | stream | index of one function's records: `id`, `alias`, `action`, `result` |
 * | `{p}lock:{name}`             | string | the holder of a lock (JSON with a random token), with a TTL  |
 * | `{p}alias:{fn}:{alias}`      | hash   | `seen` and `written`: the alias state last read / last written |
 * | `{p}lease:{name}`            | string | `holder|token` of a recurring job's leader, with a TTL        |
 * | `{p}lease:{name}:fence`      | string | the last fencing token handed out for that lease              |
 * | `{p}approval:{id}`           | hash   | `rev` and `json` of one approval request (kept 30 days after it ends) |
 * | `{p}approvals:open`          | zset   | ids of requests still pending or being applied, by creation time |
 * | `{p}freezes`                 | hash   | field `{fn}` or `{fn}:{alias}` → the freeze (JSON)            |
 * | `{p}rollout:{id}`            | hash   | `rev` and `json` of one rollout (kept 30 days after it ends)  |
 * | `{p}rollouts:live`           | zset   | ids of rollouts not yet ended, by creation time               |
 * | `{p}rollout:alias:{fn}:{alias}` | string | the id of the alias's live rollout: one at a time          |
 * | `{p}alarm:seen`              | hash   | alarm name → `STATE|since-ms`: the state the poller saw last   |
 * | `{p}alarm:open:{alarm}`      | set    | IDs of the alarm's alerts not yet resolved                    |
 * | `{p}alarm:alert:{id}`        | hash   | one alert: `facts` (JSON), delivery tasks, ref, ack, rollback, resolved, rev |
 * | `{p}alarm:undelivered`       | zset   | IDs of alerts with a message still to deliver, by creation ms |
 */
export interface RedisKeys {
  readonly auditLog: string;
  readonly auditHead: string;
  auditIndex(fn: string): string;
  lock(name: string): string;
  alias(fn: string, alias: string): string;
  lease(name: string): string;
  approval(id: string): string;
  readonly openApprovals: string;
  readonly freezes: string;
  rollout(id: string): string;
  readonly liveRollouts: string;
  rolloutSlot(fn: string, alias: string): string;
  // Alarm alerts (issue 6)
  readonly alarmSeen: string;
  alarmOpen(alarm: string): string;
  alarmAlert(id: string): string;
  readonly alarmUndelivered: string;
}

/**
 * The keys under one prefix.
 * @example redisKeys('lambda-bot:').auditIndex('payments-api') === 'lambda-bot:audit:fn:payments-api'
 */
export function redisKeys(prefix: string): RedisKeys {
  return {
    auditLog: `${prefix}audit:log`,
    auditHead: `${prefix}audit:head`,
    auditIndex: (fn) => `${prefix}audit:fn:${fn}`,
    lock: (name) => `${prefix}lock:${name}`,
    alias: (fn, alias) => `${prefix}alias:${fn}:${alias}`,
    lease: (name) => `${prefix}lease:${name}`,
    approval: (id) => `${prefix}approval:${id}`,
    openApprovals: `${prefix}approvals:open`,
    freezes: `${prefix}freezes`,
    rollout: (id) => `${prefix}rollout:${id}`,
    liveRollouts: `${prefix}rollouts:live`,
    rolloutSlot: (fn, alias) => `${prefix}rollout:alias:${fn}:${alias}`,
    // Alarm alerts (issue 6)
    alarmSeen: `${prefix}alarm:seen`,
    alarmOpen: (alarm) => `${prefix}alarm:open:${alarm}`,
    alarmAlert: (id) => `${prefix}alarm:alert:${id}`,
    alarmUndelivered: `${prefix}alarm:undelivered`,
  };
}
