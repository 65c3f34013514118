/**
 * Acks while App Home is kept live for 200 viewers (issue 18): the bot as a process with 200
 * people who opened Home and a change every 200 ms (audit records appended to its log, which its
 * home leader tails and fans out), against the bare Bolt app acking a no-op, in the same run.
 * - `/lambda status payments-api` at 100 requests a second, open loop: ack p99 (target ≤ 2×).
 * - `/lambda help` (answered in the ack) at 50 concurrent, closed loop: throughput (≥ 0.9×) and
 *   p99 (≤ 1.2×).
 * Runs alternate bot and bare; the bot's runs end when every answer was posted.
 */
import { systemClock } from '../src/adapters/clock.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { RedisHomeViewers } from '../src/adapters/redis/home-viewers.js';
import { type BotProcess, SIGNING_SECRET, startListener } from '../test/support/bot-process.js';
import { startWorld, type World } from '../test/support/world.js';
import type { LoadResult, LoadSpec } from './load.js';
import { benchEntry, runNode } from './processes.js';
import { median, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const VIEWERS = 200;
const CHANGE_EVERY_MS = 200;
const RUNS = 5;
const BASELINE = 'bare Bolt app, no-op ack';

interface Shape {
  readonly text: string;
  readonly concurrency: number;
  readonly warmup: number;
  readonly requests: number;
  readonly rate?: number;
  /** Answers posted to response_url per request (0: answered in the ack). */
  readonly posts: number;
}

const STATUS: Shape = {
  text: 'status payments-api',
  concurrency: 50,
  warmup: 100,
  requests: 1_000,
  rate: 100,
  posts: 1,
};
const HELP: Shape = { text: 'help', concurrency: 50, warmup: 500, requests: 3_000, posts: 0 };

export const ackHome: Benchmark = {
  name: 'ack-home',
  async run(): Promise<BenchRow[]> {
    const world = await startWorld();
    let bare: BotProcess | undefined;
    let changing = true;
    let changes = 0;
    try {
      bare = await startListener(benchEntry('bare-bolt-app'), { SLACK_API_URL: world.slack.apiUrl });
      const viewers = new RedisHomeViewers(world.redis, world.prefix);
      for (let i = 0; i < VIEWERS; i++) await viewers.opened(`U0VIEW${String(i).padStart(3, '0')}`, new Date());
      const audit = new RedisAuditLog(world.redis, world.prefix, systemClock);
      const servers = { bot: world.bot, bare };
      const pairs = async (shape: Shape) => {
        await measure(world, world.bot, shape, true);
        await measure(world, bare as BotProcess, shape, false);
        const bot: LoadResult[] = [];
        const base: LoadResult[] = [];
        for (let i = 0; i < RUNS; i++) {
          const order = i % 2 === 0 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
          for (const who of order) {
            const result = await measure(world, servers[who], shape, who === 'bot');
            (who === 'bot' ? bot : base).push(result);
          }
        }
        return { bot, base };
      };
      // The same with Home idle (viewers, no changes): what the fan-out itself costs, apart from the bot's own path.
      const helpIdle = await pairs(HELP);
      const changer = (async () => {
        while (changing) {
          await audit.append({
            actor: 'U0ALICE',
            action: changes % 2 === 0 ? 'freeze' : 'unfreeze',
            function: 'orders-api',
            alias: 'prod',
            from: null,
            to: null,
            result: 'ok',
            detail: 'ack-home bench',
            request: `ack-home-${changes++}`,
          });
          await new Promise((resolve) => setTimeout(resolve, CHANGE_EVERY_MS));
        }
      })();
      const publishesBefore = world.slack.callsTo('views.publish').length;
      const started = performance.now();
      const status = await pairs(STATUS);
      const help = await pairs(HELP);
      changing = false;
      await changer;
      const publishes = world.slack.callsTo('views.publish').length - publishesBefore;
      const fanout = `during it: ${changes} changes, ${publishes} views.publish calls for ${VIEWERS} viewers in ${((performance.now() - started) / 1000).toFixed(0)} s`;
      return [
        row(
          `ack /lambda ${STATUS.text}, ${STATUS.rate} req/s open loop, Home live for ${VIEWERS}: p99`,
          status,
          (r) => r.p99Ms,
          'ms',
          'ratio ≤ 2',
          (x) => x <= 2,
          fanout,
        ),
        row(
          `ack /lambda help, ${HELP.concurrency} concurrent, Home live for ${VIEWERS}: throughput`,
          help,
          (r) => r.rps,
          'req/s',
          'ratio ≥ 0.9',
          (x) => x >= 0.9,
          fanout,
        ),
        row(
          `ack /lambda help, ${HELP.concurrency} concurrent, Home live for ${VIEWERS}: p99`,
          help,
          (r) => r.p99Ms,
          'ms',
          'ratio ≤ 1.2',
          (x) => x <= 1.2,
          fanout,
        ),
        ...(['throughput', 'p99'] as const).map((what) =>
          row(
            `ack /lambda help, ${HELP.concurrency} concurrent, Home idle: ${what}`,
            helpIdle,
            what === 'p99' ? (r) => r.p99Ms : (r) => r.rps,
            what === 'p99' ? 'ms' : 'req/s',
            what === 'p99' ? 'ratio ≤ 1.2' : 'ratio ≥ 0.9',
            what === 'p99' ? (x) => x <= 1.2 : (x) => x >= 0.9,
            'measured first, before any change: the same bot with no fan-out',
          ),
        ),
      ];
    } finally {
      changing = false;
      await bare?.stop();
      await world.close();
    }
  },
};

function row(
  name: string,
  pairs: { bot: LoadResult[]; base: LoadResult[] },
  f: (r: LoadResult) => number,
  unit: string,
  target: string,
  met: (ratio: number) => boolean,
  notes: string,
): BenchRow {
  const ratios = pairs.bot.map((r, i) => f(r) / f(pairs.base[i] as LoadResult));
  return {
    name,
    figure: median(pairs.bot.map(f)),
    unit,
    baseline: BASELINE,
    baselineFigure: median(pairs.base.map(f)),
    ratio: median(ratios),
    target,
    met: met(median(ratios)),
    spread: spread(ratios),
    notes: `${RUNS} runs each way after one discarded, alternating; ${notes}`,
  };
}

async function measure(world: World, server: BotProcess, shape: Shape, drain: boolean): Promise<LoadResult> {
  const { slack } = world;
  slack.responses.length = 0;
  const { url: responseUrl } = slack.newResponseUrl();
  const spec: LoadSpec = {
    url: server.url,
    signingSecret: SIGNING_SECRET,
    text: shape.text,
    responseUrl,
    concurrency: shape.concurrency,
    warmup: shape.warmup,
    requests: shape.requests,
    ...(shape.rate ? { rate: shape.rate } : {}),
  };
  const load = JSON.parse(await runNode(benchEntry('load'), [JSON.stringify(spec)])) as LoadResult;
  if (load.statuses['200'] !== shape.requests) throw new Error(`ack-home: answers ${JSON.stringify(load.statuses)}`);
  const expected = drain ? (shape.warmup + shape.requests) * shape.posts : 0;
  const deadline = performance.now() + 120_000;
  while (slack.responses.length < expected) {
    if (performance.now() > deadline) throw new Error(`ack-home: ${slack.responses.length} of ${expected} answers`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return load;
}
