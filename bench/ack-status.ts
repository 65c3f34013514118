/**
 * Slash-command ack throughput and latency for `/lambda status payments-api` at 50 concurrent:
 * the real bot (`node dist/src/main.js`, with the emulator, the fake Slack and Redis) against a
 * bare Bolt app that only acks (bench/bare-bolt-app.ts), each as its own process, loaded in turn
 * by a load generator in a third process (bench/load.ts). The bot's work after the ack (an AWS
 * read, Redis reads, the answer posted to response_url) is real and competes for the same two
 * cores: that is the point of the comparison. Each bot run ends only when every answer has been
 * posted, so that no run inherits the previous one's backlog.
 * A second, open-loop measurement at a fixed 100 requests a second (well within what the bot
 * keeps up with) tells a slow ack path apart from a saturated process.
 */
import { type BotProcess, SIGNING_SECRET, startListener } from '../test/support/bot-process.js';
import { startWorld, type World } from '../test/support/world.js';
import type { LoadResult, LoadSpec } from './load.js';
import { benchEntry, cpuMsOf, ownCpuMs, runNode } from './processes.js';
import { median, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const CONCURRENCY = 50;
const WARMUP = 1_000;
const REQUESTS = 4_000;
const RUNS = 7;
/** The open-loop measurement: requests a second, and its size. */
const RATE = 100;
const RATE_RUNS = 5;
const RATE_WARMUP = 100;
const RATE_REQUESTS = 1_000;
const TEXT = 'status payments-api';
const THROUGHPUT_TARGET = 0.9;
const P99_TARGET = 1.2;
const DRAIN_TIMEOUT_MS = 120_000;

type Subject = 'bot' | 'bare';

/** How one run loads the server: closed loop at CONCURRENCY, or open loop at `rate`. */
interface Shape {
  readonly warmup: number;
  readonly requests: number;
  readonly rate?: number;
}

const SATURATING: Shape = { warmup: WARMUP, requests: REQUESTS };
const PACED: Shape = { warmup: RATE_WARMUP, requests: RATE_REQUESTS, rate: RATE };

interface Run {
  readonly load: LoadResult;
  /** From the load generator's end to the bot's last answer on response_url (0 for the bare app). */
  readonly drainMs: number;
  /** CPU per request (warm-up included), ms: the server, the emulator + fake Slack (this process), the generator. */
  readonly serverCpu: number;
  readonly harnessCpu: number;
  readonly loadCpu: number;
}

export const ackStatus: Benchmark = {
  name: 'ack-status',
  async run(): Promise<BenchRow[]> {
    const world = await startWorld();
    let bare: BotProcess | undefined;
    try {
      bare = await startListener(benchEntry('bare-bolt-app'), { SLACK_API_URL: world.slack.apiUrl });
      const servers: Record<Subject, BotProcess> = { bot: world.bot, bare };
      const measure = (subject: Subject, shape: Shape) => measureOnce(world, servers[subject], subject, shape);
      // One discarded run each: JIT, connection set-up, the bot's first Redis and AWS calls.
      await measure('bot', SATURATING);
      await measure('bare', SATURATING);
      const saturated = await alternate(RUNS, (subject) => measure(subject, SATURATING));
      const paced = await alternate(RATE_RUNS, (subject) => measure(subject, PACED));
      const authTests = world.slack.callsTo('auth.test').length;
      return [...saturatedRows(saturated, authTests), pacedRow(paced)];
    } finally {
      await bare?.stop();
      await world.close();
    }
  },
};

interface Pairs {
  readonly bot: Run[];
  readonly base: Run[];
}

/** `runs` runs of each subject, alternating which goes first, so that drift (a warming JIT, a busy neighbour) hits both. */
async function alternate(runs: number, measure: (subject: Subject) => Promise<Run>): Promise<Pairs> {
  const pairs: Pairs = { bot: [], base: [] };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      pairs.bot.push(await measure('bot'));
      pairs.base.push(await measure('bare'));
    } else {
      pairs.base.push(await measure('bare'));
      pairs.bot.push(await measure('bot'));
    }
  }
  return pairs;
}

async function measureOnce(world: World, server: BotProcess, subject: Subject, shape: Shape): Promise<Run> {
  const { slack } = world;
  slack.responses.length = 0;
  const { url: responseUrl } = slack.newResponseUrl();
  const spec: LoadSpec = {
    url: server.url,
    signingSecret: SIGNING_SECRET,
    text: TEXT,
    responseUrl,
    concurrency: CONCURRENCY,
    ...shape,
  };
  const cpu = { server: cpuMsOf(server.child.pid), harness: ownCpuMs() };
  const load = JSON.parse(await runNode(benchEntry('load'), [JSON.stringify(spec)])) as LoadResult;
  if (load.statuses['200'] !== shape.requests) throw new Error(`${subject}: answers ${JSON.stringify(load.statuses)}`);
  const loaded = performance.now();
  const sent = shape.warmup + shape.requests;
  if (subject === 'bot') await drained(world, sent);
  const drainMs = performance.now() - loaded;
  const serverCpu = ((cpuMsOf(server.child.pid) ?? Number.NaN) - (cpu.server ?? Number.NaN)) / sent;
  return {
    load,
    drainMs,
    serverCpu,
    harnessCpu: (ownCpuMs() - cpu.harness) / sent,
    loadCpu: load.cpuMs / shape.requests,
  };
}

/** Waits until the bot has posted `expected` answers, and checks that none is an error. */
async function drained(world: World, expected: number): Promise<void> {
  const { responses } = world.slack;
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (responses.length < expected) {
    if (performance.now() > deadline) throw new Error(`bot: ${responses.length} of ${expected} answers posted`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const failed = responses.find((r) => JSON.stringify(r.body).includes(':x:'));
  if (failed) throw new Error(`bot answered an error: ${JSON.stringify(failed.body).slice(0, 300)}`);
}

const BASELINE = 'bare Bolt app, no-op ack';
const pick = (runs: readonly Run[], f: (r: Run) => number) => runs.map(f);
const ratiosOf = ({ bot, base }: Pairs, f: (r: Run) => number) => bot.map((r, i) => f(r) / f(base[i] as Run));
const ms = (v: number) => v.toFixed(2);

function saturatedRows(pairs: Pairs, authTests: number): BenchRow[] {
  const { bot, base } = pairs;
  const ratios = (f: (r: Run) => number) => ratiosOf(pairs, f);
  const rps = ratios((r) => r.load.rps);
  const p99 = ratios((r) => r.load.p99Ms);
  const p50 = ratios((r) => r.load.p50Ms);
  const cpu = (runs: readonly Run[]) =>
    `server ${ms(median(pick(runs, (r) => r.serverCpu)))}, emulator + fake Slack ${ms(median(pick(runs, (r) => r.harnessCpu)))}, load generator ${ms(median(pick(runs, (r) => r.loadCpu)))}`;
  const what = `/lambda ${TEXT}, ${CONCURRENCY} concurrent`;
  const common = `${RUNS} runs × ${REQUESTS} requests each way after ${WARMUP} warm-up, alternating`;
  return [
    {
      name: `ack ${what}: throughput`,
      figure: median(pick(bot, (r) => r.load.rps)),
      unit: 'req/s',
      baseline: BASELINE,
      baselineFigure: median(pick(base, (r) => r.load.rps)),
      ratio: median(rps),
      target: `ratio ≥ ${THROUGHPUT_TARGET}`,
      met: median(rps) >= THROUGHPUT_TARGET,
      spread: spread(rps),
      notes: `${common}; CPU ms per request: bot run: ${cpu(bot)}; bare run: ${cpu(base)}; bot's answers all posted ${ms(median(pick(bot, (r) => r.drainMs)) / 1000)} s (median) after the last ack; auth.test calls: ${authTests}`,
    },
    {
      name: `ack ${what}: p99`,
      figure: median(pick(bot, (r) => r.load.p99Ms)),
      unit: 'ms',
      baseline: BASELINE,
      baselineFigure: median(pick(base, (r) => r.load.p99Ms)),
      ratio: median(p99),
      target: `ratio ≤ ${P99_TARGET}`,
      met: median(p99) <= P99_TARGET,
      spread: spread(p99),
    },
    {
      name: `ack ${what}: p50`,
      figure: median(pick(bot, (r) => r.load.p50Ms)),
      unit: 'ms',
      baseline: BASELINE,
      baselineFigure: median(pick(base, (r) => r.load.p50Ms)),
      ratio: median(p50),
      spread: spread(p50),
    },
  ];
}

function pacedRow(pairs: Pairs): BenchRow {
  const { bot, base } = pairs;
  const p99 = ratiosOf(pairs, (r) => r.load.p99Ms);
  const p50 = (runs: readonly Run[]) => ms(median(pick(runs, (r) => r.load.p50Ms)));
  return {
    name: `ack /lambda ${TEXT}, ${RATE} req/s open loop: p99`,
    figure: median(pick(bot, (r) => r.load.p99Ms)),
    unit: 'ms',
    baseline: BASELINE,
    baselineFigure: median(pick(base, (r) => r.load.p99Ms)),
    ratio: median(p99),
    spread: spread(p99),
    notes: `${RATE_RUNS} runs × ${RATE_REQUESTS} requests each way after ${RATE_WARMUP} warm-up, alternating; latency from the moment each request was due; p50 bot ${p50(bot)} ms, bare ${p50(base)} ms`,
  };
}
