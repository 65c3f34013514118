/**
 * Every Redis key the bot writes, in one place (as BullMQ's queue-keys.ts), so the layout can be read
 * at a glance. All keys start with REDIS_KEY_PREFIX, so several bots (or test runs) can share a Redis.
 * Keys that a script or a pipeline uses together carry one hash tag (`{audit}`, `{approvals}`, …), so
 * that on a Cluster they are in one slot, as Redis requires of every script and pipeline; keys used
 * alone carry none and spread over the slots. docs/operations.md explains the layout.
 *
 * | key                               | type   | holds                                                          |
 * | --------------------------------- | ------ | -------------------------------------------------------------- |
 * | `{p}{audit}:log`                  | stream | every audit record; entry ID `{id}-0`, field `rec` (JSON)       |
 * | `{p}{audit}:head`                 | hash   | `id` and `hash` of the last record: what the next one chains on |
 * | `{p}{audit}:fn:{fn}`              | stream | index of one function's records: `id`, `alias`, `action`, `result` |
 * | `{p}{audit}:pending`              | zset   | intents with no outcome yet (member: request, function, alias, action), by record id |
 * | `{p}{audit}:archived`             | hash   | the archive's position: `id` and `hash` of its last record, `segments`, `key` of the last segment, `at`, `claim` (the segment being written) |
 * | `{p}{audit}:base`                 | hash   | `id`, `hash` and `at` of the last record trimmed from the log (absent: none ever was) |
 * | `{p}lock:{name}`                  | string | the holder of a lock (JSON with a random token), with a TTL     |
 * | `{p}alias:{fn}:{alias}`           | hash   | `seen` and `written`: the alias state last read / last written  |
 * | `{p}{lease:{name}}`               | string | `holder|token` of a recurring job's leader, with a TTL          |
 * | `{p}{lease:{name}}:fence`         | string | the last fencing token handed out for that lease                |
 * | `{p}{approvals}:request:{id}`     | hash   | `rev` and `json` of one approval request (kept 30 days after it ends) |
 * | `{p}{approvals}:open`             | zset   | ids of requests still pending or being applied, by creation time |
 * | `{p}freezes`                      | hash   | field `{fn}` or `{fn}:{alias}` → the freeze (JSON)              |
 * | `{p}{rollouts}:rollout:{id}`      | hash   | `rev` and `json` of one rollout (kept 30 days after it ends)    |
 * | `{p}{rollouts}:live`              | zset   | ids of rollouts not yet ended, by creation time                 |
 * | `{p}{rollouts}:alias:{fn}:{alias}`| string | the id of the alias's live rollout: one at a time               |
 * | `{p}{alarms}:seen`                | hash   | alarm → `STATE|since-ms`: the state the poller saw last         |
 * | `{p}{alarms}:open:{alarm}`        | set    | IDs of the alarm's alerts not yet resolved                      |
 * | `{p}{alarms}:alert:{id}`          | hash   | one alert: `facts` (JSON), delivery tasks, ref, ack, rollback, resolved, count, thread notes, rev |
 * | `{p}{alarms}:undelivered`         | zset   | IDs of alerts with a message still to deliver, by when due      |
 * | `{p}{alarms}:latest`              | hash   | alarm → ID of its latest alert: the one a return to ALARM reopens |
 * | `{p}{outside}:watch:{fn}`         | hash   | `rev` and `state` (JSON): the aliases and newest version the watch accounted for |
 * | `{p}{outside}:own:{fn}`           | set    | versions the bot published itself (never reported)              |
 * | `{p}{outside}:alert:{id}`         | hash   | one outside-change alert: `facts`, `who`, `post`, `ref`, decisions, `rev` |
 * | `{p}{outside}:undelivered`        | zset   | IDs of outside-change alerts still to post, by when due          |
 * | `{p}{outside}:looking`            | zset   | IDs of outside-change alerts still looking for who, by detection ms |
 * | `{p}{breakglass}:change:{id}`    | hash   | `rev` and `json` of one break-glass change (kept 30 days after its review) |
 * | `{p}{breakglass}:open`            | zset   | ids of break-glass changes not yet reviewed, by when made       |
 * | `{p}event:{event_id}`             | string | which replica took an Events API delivery, for an hour: Slack's retries are handled once |
 * | `{p}home:viewers`                 | zset   | people who opened App Home, by when they last did (ms); older than a day trimmed |
 * | `{p}home:published`               | string | the audit log entry ID up to which every change was published to Home's viewers |
 * | `{p}home:notice:<user>`           | string | the answer to the person's last click on Home, shown atop their Home for a minute |
 * | `{p}layout`                       | string | the layout's version (`2`): set once the keys of version 1 were moved |
 */
export interface RedisKeys {
  readonly auditLog: string;
  readonly auditHead: string;
  auditIndex(fn: string): string;
  readonly auditPending: string;
  readonly auditArchived: string;
  readonly auditBase: string;
  lock(name: string): string;
  alias(fn: string, alias: string): string;
  lease(name: string): string;
  leaseFence(name: string): string;
  approval(id: string): string;
  readonly openApprovals: string;
  readonly freezes: string;
  rollout(id: string): string;
  readonly liveRollouts: string;
  rolloutSlot(fn: string, alias: string): string;
  readonly alarmSeen: string;
  alarmOpen(alarm: string): string;
  alarmAlert(id: string): string;
  readonly alarmUndelivered: string;
  outsideWatch(fn: string): string;
  outsideOwn(fn: string): string;
  outsideAlert(id: string): string;
  readonly outsideUndelivered: string;
  readonly outsideLooking: string;
  readonly alarmLatest: string;
  breakglass(id: string): string;
  readonly openBreakglass: string;
  eventClaim(eventId: string): string;
  readonly homeViewers: string;
  readonly homePublished: string;
  homeNotice(user: string): string;
  readonly layout: string;
}

/** The version of the layout above; version 1 had the same keys without hash tags. */
export const LAYOUT_VERSION = '2';

/**
 * The keys under one prefix.
 * @example redisKeys('lambda-bot:').auditIndex('payments-api') === 'lambda-bot:{audit}:fn:payments-api'
 */
export function redisKeys(prefix: string): RedisKeys {
  const audit = `${prefix}{audit}`;
  const approvals = `${prefix}{approvals}`;
  const rollouts = `${prefix}{rollouts}`;
  const alarms = `${prefix}{alarms}`;
  const outside = `${prefix}{outside}`;
  return {
    auditLog: `${audit}:log`,
    auditHead: `${audit}:head`,
    auditIndex: (fn) => `${audit}:fn:${fn}`,
    auditPending: `${audit}:pending`,
    auditArchived: `${audit}:archived`,
    auditBase: `${audit}:base`,
    lock: (name) => `${prefix}lock:${name}`,
    alias: (fn, alias) => `${prefix}alias:${fn}:${alias}`,
    lease: (name) => `${prefix}{lease:${name}}`,
    leaseFence: (name) => `${prefix}{lease:${name}}:fence`,
    approval: (id) => `${approvals}:request:${id}`,
    openApprovals: `${approvals}:open`,
    freezes: `${prefix}freezes`,
    rollout: (id) => `${rollouts}:rollout:${id}`,
    liveRollouts: `${rollouts}:live`,
    rolloutSlot: (fn, alias) => `${rollouts}:alias:${fn}:${alias}`,
    alarmSeen: `${alarms}:seen`,
    alarmOpen: (alarm) => `${alarms}:open:${alarm}`,
    alarmAlert: (id) => `${alarms}:alert:${id}`,
    alarmUndelivered: `${alarms}:undelivered`,
    outsideWatch: (fn) => `${outside}:watch:${fn}`,
    outsideOwn: (fn) => `${outside}:own:${fn}`,
    outsideAlert: (id) => `${outside}:alert:${id}`,
    outsideUndelivered: `${outside}:undelivered`,
    outsideLooking: `${outside}:looking`,
    alarmLatest: `${alarms}:latest`,
    breakglass: (id) => `${prefix}{breakglass}:change:${id}`,
    openBreakglass: `${prefix}{breakglass}:open`,
    eventClaim: (eventId) => `${prefix}event:${eventId}`,
    homeViewers: `${prefix}home:viewers`,
    homePublished: `${prefix}home:published`,
    homeNotice: (user) => `${prefix}home:notice:${user}`,
    layout: `${prefix}layout`,
  };
}

/**
 * Where a key of layout version 1 (no hash tags) lives now, or undefined for a key that kept its
 * name (locks, alias memory, freezes) or is not the bot's. Pure, so the move can be tested alone.
 * @example layoutV1ToV2('lambda-bot:', 'lambda-bot:audit:log') === 'lambda-bot:{audit}:log'
 */
export function layoutV1ToV2(prefix: string, key: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const k = redisKeys(prefix);
  const moved: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^audit:log$/, () => k.auditLog],
    [/^audit:head$/, () => k.auditHead],
    [/^audit:fn:(.+)$/s, (m) => k.auditIndex(m[1] as string)],
    [/^lease:(.+):fence$/s, (m) => k.leaseFence(m[1] as string)],
    [/^lease:(.+)$/s, (m) => k.lease(m[1] as string)],
    [/^approvals:open$/, () => k.openApprovals],
    [/^approval:(.+)$/s, (m) => k.approval(m[1] as string)],
    [/^rollouts:live$/, () => k.liveRollouts],
    [/^rollout:alias:(.+)$/s, (m) => `${prefix}{rollouts}:alias:${m[1]}`],
    [/^rollout:(.+)$/s, (m) => k.rollout(m[1] as string)],
    [/^alarm:seen$/, () => k.alarmSeen],
    [/^alarm:undelivered$/, () => k.alarmUndelivered],
    [/^alarm:open:(.+)$/s, (m) => k.alarmOpen(m[1] as string)],
    [/^alarm:alert:(.+)$/s, (m) => k.alarmAlert(m[1] as string)],
  ];
  for (const [pattern, to] of moved) {
    const m = pattern.exec(rest);
    if (m) return to(m);
  }
  return undefined;
}
