/**
 * App Home fan-out (CONTRACT §12): 200 people who opened Home, 50 changes in 10 s, and how many
 * views.publish calls reach Slack and how long until the last viewer's Home shows the last change.
 * Two measurements:
 * - `bot`: the bot as a process (world), the changes audit records appended to its log (freeze and
 *   unfreeze, as those commands write them; its home leader tails the log), views.publish paced under Tier 4 (VIEWS_PUBLISH_PACE) as in production: Slack's limit, not the
 *   bot, sets the time to the last update.
 * - `coalescing alone`: HomeLive in this process over the same Redis adapters (the audit log tailed,
 *   the viewers' sorted set) and the fake Slack, with pacing lifted: what the 5 s windows alone make
 *   of the burst.
 * The baseline is one publish a viewer a change (200 × 50); the bound is 200 × ⌈10 s / 5 s⌉ + 1 a
 * viewer = 800.
 */
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { systemClock } from '../src/adapters/clock.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { RedisChangeFeed } from '../src/adapters/redis/change-feed.js';
import { REDIS_OPTIONS } from '../src/adapters/redis/client.js';
import { RedisHomeViewers } from '../src/adapters/redis/home-viewers.js';
import { HomePublisher } from '../src/adapters/slack/home-publisher.js';
import { HomeLive } from '../src/services/home-live.js';
import { BOT_TOKEN } from '../test/support/bot-process.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { cleanup, connect, REDIS_URL, testPrefix } from '../test/support/redis.js';
import { startWorld, type World } from '../test/support/world.js';
import type { Benchmark, BenchRow } from './types.js';

const VIEWERS = 200;
const CHANGES = 50;
const OVER_MS = 10_000;
const WINDOW_MS = 5_000;
const BOUND = VIEWERS * (Math.ceil(OVER_MS / WINDOW_MS) + 1) + VIEWERS;
const UNCOALESCED = VIEWERS * CHANGES;
/** After every viewer has the last change, this long with no publish ends the count. */
const QUIET_MS = 7_000;
const LAST_UPDATE_TIMEOUT_MS = 600_000;

const viewerIds = Array.from({ length: VIEWERS }, (_, i) => `U0VIEW${String(i).padStart(3, '0')}`);

interface Outcome {
  /** views.publish calls for the viewers, from the first change until quiet. */
  readonly calls: number;
  readonly maxPerViewer: number;
  /** From the last change's record to the last viewer's publish after it, ms. */
  readonly lastUpdateMs: number;
  /** Calls for people who never opened Home (must be 0). */
  readonly strangers: number;
  /** How long the changes took to make, ms (10 s as asked, unless the machine lagged). */
  readonly changesMs: number;
}

export const homeFanout: Benchmark = {
  name: 'home-fanout',
  async run(): Promise<BenchRow[]> {
    const alone = await coalescingAlone();
    process.stderr.write(`home-fanout: coalescing alone ${JSON.stringify(alone)}\n`);
    const bot = await viaBot();
    process.stderr.write(`home-fanout: the bot ${JSON.stringify(bot)}\n`);
    const row = (name: string, o: Outcome, notes: string): BenchRow => ({
      name: `home fan-out, ${VIEWERS} viewers, ${CHANGES} changes in ${OVER_MS / 1000} s: views.publish calls (${name})`,
      figure: o.calls,
      unit: 'calls',
      baseline: `one publish a viewer a change (${UNCOALESCED})`,
      baselineFigure: UNCOALESCED,
      ratio: o.calls / UNCOALESCED,
      target: `calls ≤ ${BOUND}`,
      met: o.calls <= BOUND && o.strangers === 0,
      notes: `changes made over ${(o.changesMs / 1000).toFixed(1)} s; most to one viewer ${o.maxPerViewer}; last viewer's update ${(o.lastUpdateMs / 1000).toFixed(1)} s after the last change; calls for people who never opened Home: ${o.strangers}; ${notes}`,
    });
    return [
      row(
        'the bot, paced under Tier 4',
        bot,
        'views.publish paced at 100 a minute after a burst of 100 (Slack Tier 4)',
      ),
      row('coalescing alone, unpaced', alone, 'HomeLive in-process over Redis and the fake Slack, pacing lifted'),
    ];
  },
};

/** Counts views.publish calls and waits for the last viewer's update and then for quiet. */
async function observe(slack: FakeSlack, changes: () => Promise<void>): Promise<Outcome> {
  const start = slack.calls.length;
  const began = performance.now();
  await changes();
  const changesMs = performance.now() - began;
  const lastChange = performance.now();
  const afterLast = slack.calls.length;
  const viewers = new Set(viewerIds);
  const updated = new Set<string>();
  let lastUpdateMs = Number.NaN;
  let seen = afterLast;
  let quietSince = performance.now();
  const deadline = performance.now() + LAST_UPDATE_TIMEOUT_MS;
  for (;;) {
    for (; seen < slack.calls.length; seen++) {
      const call = slack.calls[seen];
      if (call?.method !== 'views.publish') continue;
      quietSince = performance.now();
      const user = String(call.args.user_id);
      if (viewers.has(user)) updated.add(user);
      if (updated.size === VIEWERS && Number.isNaN(lastUpdateMs)) lastUpdateMs = performance.now() - lastChange;
    }
    if (!Number.isNaN(lastUpdateMs) && performance.now() - quietSince > QUIET_MS) break;
    if (performance.now() > deadline) throw new Error(`home-fanout: ${updated.size} of ${VIEWERS} viewers updated`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const publishes = slack.calls.slice(start).filter((c) => c.method === 'views.publish');
  const per = new Map<string, number>();
  for (const c of publishes) per.set(String(c.args.user_id), (per.get(String(c.args.user_id)) ?? 0) + 1);
  const strangers = publishes.filter((c) => !viewers.has(String(c.args.user_id))).length;
  return {
    calls: publishes.length - strangers,
    maxPerViewer: Math.max(...per.values()),
    lastUpdateMs,
    strangers,
    changesMs,
  };
}

/** CHANGES things happening OVER_MS, evenly, whatever the answers (open loop). */
async function spread(change: (i: number) => Promise<unknown>): Promise<void> {
  const first = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const wait = first + (i * OVER_MS) / CHANGES - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(change(i));
  }
  await Promise.all(pending);
}

async function viaBot(): Promise<Outcome> {
  const world: World = await startWorld();
  try {
    await waitForLeader(world);
    const viewers = new RedisHomeViewers(world.redis, world.prefix);
    for (const id of viewerIds) await viewers.opened(id, new Date());
    // Records appended to the bot's own log (as its commands append them), so that the 50 changes
    // take 10 s whatever the machine's load does to commands.
    const audit = new RedisAuditLog(world.redis, world.prefix, systemClock);
    return await observe(world.slack, () => spread((i) => audit.append(change(i))));
  } finally {
    await world.close();
  }
}

function change(i: number) {
  return {
    actor: 'U0ALICE',
    action: i % 2 === 0 ? ('freeze' as const) : ('unfreeze' as const),
    function: 'orders-api',
    alias: 'prod',
    from: null,
    to: null,
    result: 'ok' as const,
    detail: `fan-out ${i}`,
    request: `bench-${i}`,
  };
}

async function waitForLeader(world: World): Promise<void> {
  const key = `${world.prefix}home:published`;
  for (let i = 0; i < 400 && !(await world.redis.get(key)); i++) await new Promise((r) => setTimeout(r, 50));
}

async function coalescingAlone(): Promise<Outcome> {
  const slack = await FakeSlack.start();
  const redis = await connect();
  // XREAD BLOCK outlasts the usual command timeout: the tail gets a longer one, as the bot's does.
  const tail = new Redis(REDIS_URL, { ...REDIS_OPTIONS, commandTimeout: 10_000 });
  const prefix = testPrefix('bench-home');
  const log = pino({ level: 'silent' });
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true });
  const publisher = new HomePublisher(
    client,
    async (user) => ({
      type: 'home',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Home of ${user}` } }],
    }),
    systemClock,
    log,
    { perMinute: 1e9, burst: 1e9 },
  );
  const viewers = new RedisHomeViewers(redis, prefix);
  const live = new HomeLive({
    viewers,
    feed: new RedisChangeFeed(tail, redis, prefix),
    publish: (user) => publisher.publish(user),
    clock: systemClock,
    log,
  });
  const audit = new RedisAuditLog(redis, prefix, systemClock);
  let running = true;
  const fence = { token: 1, stillLeader: async () => true };
  const leader = (async () => {
    while (running) await live.run(fence).catch(() => new Promise((resolve) => setTimeout(resolve, 100)));
  })();
  try {
    for (const id of viewerIds) await viewers.opened(id, new Date());
    await new Promise((resolve) => setTimeout(resolve, 200));
    return await observe(slack, () => spread((i) => audit.append(change(i))));
  } finally {
    running = false;
    await live.stop();
    await leader.catch(() => {});
    await cleanup(redis, prefix);
    redis.disconnect();
    await slack.close();
  }
}
