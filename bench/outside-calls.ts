/**
 * Lambda calls of the watch of outside changes, per interval, for 300 functions over 3 accounts
 * (100 each, each account in a region of its own, reached through the bot's assumed role), against
 * the bound of issue 15: at most 2 calls per function per interval (one ListAliases, one page of
 * ListVersionsByFunction).
 *
 * The services are composed over Redis, the emulator and the fake Slack as src/main.ts composes them
 * (the PlacePacer included), and the watch runs as the leader job runs it in production, every
 * `watch_interval` (the default, 60 s: 600 calls need 40 s at the pacer's 5 a second in each of 3
 * places, so no shorter interval could be met). The first run is the baseline (every page of
 * versions, nothing alerted); then a quiet interval; then one in which mallory, at the console of
 * each account, moves ten aliases and publishes a version at random moments; then the run after it.
 * The emulator's call log gives each call's time, place, function and caller; mallory's own calls are
 * left out. Also reported: the watch's wall time per run, how its calls spread over the interval,
 * and the busiest second in any one place (Lambda's control plane allows 15 a second there).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { startEmulator } from '../emulator/index.js';
import { systemClock } from '../src/adapters/clock.js';
import { LeaderJob } from '../src/adapters/cron/leader-job.js';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from '../src/adapters/slack/retry.js';
import { parsePolicy } from '../src/config/policy.js';
import { control } from '../test/emulator/support/target.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { cleanup, connect, testPrefix } from '../test/support/redis.js';
import { servicesOverRedis } from '../test/support/services-over-redis.js';
import { ACCOUNTS, accountsYaml, type BenchPlace, emulatorPlace, PLACES, roles } from './accounts.js';
import { outsideRuns, type Run, type RunStats, runStats, tenthsText } from './outside-spread.js';
import { fnName, lambdaCalls, Mallory, sample, seedFunctions } from './outside-world.js';
import type { Benchmark, BenchRow } from './types.js';

const INTERVAL_MS = 60_000;
const PER_PLACE = 100;
/** One place per account: prod in eu-west-1, staging in us-east-1, sandbox in eu-west-1. */
const WATCHED: readonly BenchPlace[] = ['prod-eu', 'staging-us', 'sandbox-eu'].map((label) => {
  const place = PLACES.find((p) => p.label === label);
  if (!place) throw new Error(`no place ${label}`);
  return place;
});
const FUNCTIONS = WATCHED.length * PER_PLACE;
const MOVES_PER_PLACE = 10;
/** The baseline, a quiet run, the run in whose interval the changes are made, and the one after. */
const RUNS = 4;
const BOUND = 2;
/** Lambda's control-plane limit per account and region, and the pacer's share of it. */
const LAMBDA_LIMIT = 15;
const PACER = 5;
const channelOf = (p: BenchPlace) => `C0${p.label.replace('-', '').toUpperCase()}`;

function policyYaml(): string {
  const functions = WATCHED.flatMap((p) =>
    Array.from(
      { length: PER_PLACE },
      (_, f) =>
        `  ${p.label}-${fnName(f)}: { account: ${p.account.name}, region: ${p.region}, name: ${fnName(f)}, alerts_channel: ${channelOf(p)}, aliases: { live: {} } }`,
    ),
  );
  return `${accountsYaml()}channels: { approvals: C0APPROVALS, alerts: C0ALERTS }\nwatch_interval: ${INTERVAL_MS / 1000}s\nroles: { deployers: [U0BENCH], approvers: [], responders: [] }\nfunctions:\n${functions.join('\n')}\n`;
}

export const outsideCalls: Benchmark = {
  name: 'outside-calls',
  async run(): Promise<BenchRow[]> {
    const parsed = parsePolicy(policyYaml());
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const emulator = await startEmulator({ clock: 'real', updateDelayMs: 0 });
    const slack = await FakeSlack.start();
    const redis = await connect();
    const prefix = testPrefix('bench');
    const mallories: Mallory[] = [];
    const closers: (() => Promise<void> | void)[] = [];
    try {
      for (const role of roles()) await control(emulator.url, 'PUT', '/_emulator/roles', role);
      for (const p of WATCHED)
        await seedFunctions(emulator.url, { account: p.account.id, region: p.region }, PER_PLACE);
      for (const p of WATCHED)
        mallories.push(await Mallory.enter(emulator.url, { account: p.account.id, region: p.region }));
      const web = new WebClient('xoxb-bench', {
        slackApiUrl: slack.apiUrl,
        retryConfig: SLACK_RETRY,
        timeout: SLACK_TIMEOUT_MS,
      });
      const world = servicesOverRedis({ policy: parsed.policy, redis, prefix, endpoint: emulator.url, web });
      closers.push(() => world.close());
      const runs: Run[] = [];
      let started = 0;
      const job = new LeaderJob({
        name: 'outside-watch',
        everyMs: parsed.policy.watchIntervalMs,
        holder: 'bench',
        lease: world.lease,
        clock: systemClock,
        log: pino({ level: 'silent' }),
        run: async (fence) => {
          // The measured runs only: a run due while the benchmark stops must not overlap the clean-up.
          if (started === RUNS) return;
          const start = Date.now();
          started++;
          await world.jobs['outside-watch'].run(fence);
          runs.push({ start, end: Date.now() });
        },
      });
      const since = Date.now();
      job.start();
      let stopped = false;
      const stop = async () => {
        if (!stopped) await job.stop();
        stopped = true;
      };
      closers.push(stop);
      const until = async (done: () => boolean) => {
        while (!done()) await sleep(100);
      };
      // Runs 1 (baseline) and 2 (quiet); changes at random moments of run 3's interval; run 4 sees the rest.
      await until(() => started === 3);
      const changeStart = Date.now();
      const changes = plan(mallories);
      for (const change of changes) {
        const wait = changeStart + change.atMs - Date.now();
        if (wait > 0) await sleep(wait);
        await change.make();
      }
      await until(() => runs.length === RUNS);
      await stop();
      const alerts = slack.callsTo('chat.postMessage').length;
      const fns = WATCHED.flatMap((p) =>
        Array.from({ length: PER_PLACE }, (_, f) => `${emulatorPlace(p)}/${fnName(f)}`),
      );
      const calls = (await lambdaCalls(emulator.url, since)).filter((c) => !c.caller.endsWith(':user/mallory'));
      const stats = runs.map((r) => runStats(r, calls, INTERVAL_MS, fns));
      const context = `${changes.length} changes by mallory in run 3's interval, ${alerts} alerts and notes posted; Lambda calls outside any run: ${outsideRuns(runs, calls)}; baseline run: ${describe(stats[0])}`;
      return [
        callsRow('quiet interval', stats.slice(1, 2), context),
        callsRow('interval with changes and the next', stats.slice(2, 4), context),
        wallRow(stats.slice(1)),
        busiestRow(stats.slice(1)),
      ];
    } finally {
      for (const close of closers.reverse()) await close();
      for (const m of mallories) m.close();
      await cleanup(redis, prefix);
      redis.disconnect();
      await slack.close();
      await emulator.close();
    }
  },
};

interface Change {
  readonly atMs: number;
  make(): Promise<void>;
}

/** In every place, ten aliases moved and one version published, at random moments of one interval. */
function plan(mallories: readonly Mallory[]): Change[] {
  const at = () => Math.random() * INTERVAL_MS * 0.95;
  const changes = mallories.flatMap((m) => {
    const [published, ...moved] = sample(
      Array.from({ length: PER_PLACE }, (_, f) => fnName(f)),
      MOVES_PER_PLACE + 1,
    );
    return [
      ...moved.map((fn) => ({ atMs: at(), make: () => m.moveAlias(fn) })),
      { atMs: at(), make: () => m.publish(published as string) },
    ];
  });
  return changes.sort((a, b) => a.atMs - b.atMs);
}

function describe(s: RunStats | undefined): string {
  if (!s) return 'none';
  const ops = Object.entries(s.byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return `${s.calls} calls (${ops}), ${s.perFunctionMin}–${s.perFunctionMax} a function, wall ${(s.wallMs / 1000).toFixed(1)} s, calls from ${(s.firstMs / 1000).toFixed(1)} to ${(s.lastMs / 1000).toFixed(1)} s, by tenth of the interval (%) ${tenthsText(s.tenths)}, busiest second in a place ${s.busiestSecond}`;
}

function callsRow(label: string, stats: readonly RunStats[], context: string): BenchRow {
  const worst = Math.max(...stats.map((s) => s.calls));
  const perFunction = worst / FUNCTIONS;
  return {
    name: `outside watch, ${FUNCTIONS} fns over ${ACCOUNTS.length} accounts, ${label}: Lambda calls per function`,
    figure: perFunction,
    unit: 'calls',
    baseline: 'bound of issue 15',
    baselineFigure: BOUND,
    ratio: perFunction / BOUND,
    target: `≤ ${BOUND} for every function, every function read`,
    met: stats.every((s) => s.perFunctionMax <= BOUND && s.perFunctionMin >= 1),
    notes: `${stats.length} run(s) after the baseline, ${INTERVAL_MS / 1000} s interval: ${stats.map(describe).join(' | ')}; ${context}`,
  };
}

function wallRow(stats: readonly RunStats[]): BenchRow {
  const worst = Math.max(...stats.map((s) => s.wallMs));
  return {
    name: `outside watch, ${FUNCTIONS} fns over ${ACCOUNTS.length} accounts: wall time of a run (max)`,
    figure: worst,
    unit: 'ms',
    baseline: 'watch interval',
    baselineFigure: INTERVAL_MS,
    ratio: worst / INTERVAL_MS,
    target: '≤ interval (every change seen within one)',
    met: worst <= INTERVAL_MS,
    notes: `runs 2–4: ${stats.map((s) => `${(s.wallMs / 1000).toFixed(1)} s`).join(', ')}`,
  };
}

function busiestRow(stats: readonly RunStats[]): BenchRow {
  const worst = Math.max(...stats.map((s) => s.busiestSecond));
  return {
    name: `outside watch, ${FUNCTIONS} fns over ${ACCOUNTS.length} accounts: busiest second in one place`,
    figure: worst,
    unit: 'calls',
    baseline: 'Lambda control-plane limit a place',
    baselineFigure: LAMBDA_LIMIT,
    ratio: worst / LAMBDA_LIMIT,
    target: 'ratio ≤ 1',
    met: worst <= LAMBDA_LIMIT,
    notes: `runs 2–4: ${stats.map((s) => s.busiestSecond).join(', ')}; counted at the emulator, by arrival: the pacer starts at most ${PACER} a second in a place, and a few milliseconds of jitter between start and arrival can put a sixth into a window of one second`,
  };
}
