/**
 * The alarm sweep over six (account, region) places holding 1,800 alarms between them, unevenly:
 * the bot's CloudWatchAlarmSource (built as src/main.ts builds it, each place read in the bot's
 * assumed-role session there) against the emulator in this process.
 *
 * - Calls: every sweep must cost exactly ⌈n/100⌉ DescribeAlarms in each place (counted by the
 *   emulator per place), Σ⌈n/100⌉ in all.
 * - Time: a sweep of every place (in parallel, PLACES_AT_ONCE at a time) against the slowest
 *   single place swept alone, both in the same run, runs alternating which goes first.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { startEmulator } from '../emulator/index.js';
import { parsePolicy } from '../src/config/policy.js';
import type { Place } from '../src/domain/target.js';
import { control as emulatorControl } from '../test/emulator/support/target.js';
import { putLambdaAlarm } from '../test/support/alarms.js';
import { botAws } from '../test/support/bot-aws.js';
import { ACCOUNTS, accountsYaml, type BenchPlace, emulatorPlace, PLACES, roles } from './accounts.js';
import { median, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

/**
 * Alarms in each of PLACES, in the same order (the policy lists the places in this order too).
 * Uneven, with the largest place listed fifth, after four of about 300: with more places than
 * PLACES_AT_ONCE, it is the case where the order places are swept in matters. 300 and 100 are
 * whole pages, 299 and 301 one alarm either side of them, for the exact count of calls.
 */
const SPREAD: readonly number[] = [300, 299, 301, 250, 550, 100];
const FUNCTIONS_PER_PLACE = 20;
const PAGE = 100;
const WARMUP = 2;
const RUNS = 9;
const TARGET = 1.5;

interface Setting {
  readonly label: string;
  readonly latencyMs: number;
  readonly judged: boolean;
}

const SETTINGS: readonly Setting[] = [
  { label: 'CloudWatch at once', latencyMs: 0, judged: false },
  { label: 'CloudWatch +30 ms a call', latencyMs: 30, judged: true },
];

const fnName = (f: number) => `fn-${String(f).padStart(2, '0')}`;
const total = SPREAD.reduce((a, b) => a + b, 0);
const pagesOf = (n: number) => Math.ceil(n / PAGE);
const expectedCalls = SPREAD.reduce((a, n) => a + pagesOf(n), 0);

function policyYaml(): string {
  const functions = PLACES.flatMap((p) =>
    Array.from(
      { length: FUNCTIONS_PER_PLACE },
      (_, f) =>
        `  ${p.label}-${fnName(f)}: { account: ${p.account.name}, region: ${p.region}, name: ${fnName(f)}, aliases: { live: {} } }`,
    ),
  );
  return `${accountsYaml()}channels: { approvals: C0APPROVALS, alerts: C0ALERTS }\nroles: { deployers: [U0BENCH], approvers: [], responders: [] }\nfunctions:\n${functions.join('\n')}\n`;
}

interface Run {
  /** ms of the sweep of every place. */
  readonly all: number;
  /** ms of each place swept alone, in PLACES order. */
  readonly single: number[];
  /** DescribeAlarms calls per place (PLACES order) during the sweep of every place. */
  readonly calls: number[];
}

export const alarmPlaces: Benchmark = {
  name: 'alarm-places',
  async run(): Promise<BenchRow[]> {
    const parsed = parsePolicy(policyYaml());
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const emulator = await startEmulator({ clock: 'manual', updateDelayMs: 0 });
    const control = <T>(method: string, path: string, body?: unknown) =>
      emulatorControl(emulator.url, method, path, body) as Promise<T>;
    const aws = botAws(emulator.url, parsed.policy, { maxAttempts: 1 });
    try {
      for (const role of roles()) await control('PUT', '/_emulator/roles', role);
      await seed(emulator.url);
      // The fleet's places, matched to ours: the sweep of one place is asked with the bot's own value.
      const places = PLACES.map((p) => placeOf(aws.fleet.places(), p));
      const sweepAll = async () => {
        const sweep = await aws.alarms.sweep();
        if (sweep.alarms.length !== total || sweep.failed.length > 0) {
          throw new Error(`a sweep kept ${sweep.alarms.length} alarms; failed: ${JSON.stringify(sweep.failed)}`);
        }
      };
      const once = async (allFirst: boolean): Promise<Run> => {
        const single: number[] = [];
        const singles = async () => {
          for (const [i, place] of places.entries()) {
            single.push(
              await timed(async () => {
                const sweep = await aws.alarms.sweep(place);
                if (sweep.alarms.length !== SPREAD[i])
                  throw new Error(`${PLACES[i]?.label}: ${sweep.alarms.length} alarms`);
              }),
            );
          }
        };
        if (!allFirst) await singles();
        await control('DELETE', '/_emulator/calls');
        const all = await timed(sweepAll);
        const byPlace = await control<Record<string, Record<string, number>>>('GET', '/_emulator/calls?by=place');
        const calls = PLACES.map((p) => byPlace[emulatorPlace(p)]?.['cloudwatch.DescribeAlarms'] ?? 0);
        if (allFirst) await singles();
        return { all, single, calls };
      };
      const rows: BenchRow[] = [];
      const runs: Run[] = [];
      for (const setting of SETTINGS) {
        await control('PUT', '/_emulator/faults', {
          rules:
            setting.latencyMs > 0
              ? [{ service: 'cloudwatch', operation: 'DescribeAlarms', latencyMs: setting.latencyMs }]
              : [],
        });
        // Discarded: the bot's sessions in each account are assumed here, the JIT warms up.
        for (let i = 0; i < WARMUP; i++) await once(i % 2 === 0);
        const measured: Run[] = [];
        for (let i = 0; i < RUNS; i++) measured.push(await once(i % 2 === 0));
        runs.push(...measured);
        rows.push(timeRow(setting, measured));
      }
      return [callsRow(runs), ...rows];
    } finally {
      await control('DELETE', '/_emulator/faults').catch(() => {});
      aws.close();
      await emulator.close();
    }
  },
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

function placeOf(places: readonly Place[], p: BenchPlace): Place {
  const found = places.find((q) => q.account.id === p.account.id && q.region === p.region);
  if (!found) throw new Error(`the fleet has no ${p.label}`);
  return found;
}

/** The alarms of each place, made through the SDK as that account (a 12-digit key is that account). */
async function seed(endpoint: string): Promise<void> {
  for (const [i, place] of PLACES.entries()) {
    const cloudwatch = new CloudWatchClient({
      endpoint,
      region: place.region,
      credentials: { accessKeyId: place.account.id, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const n = SPREAD[i] ?? 0;
    const alarm = (a: number) =>
      putLambdaAlarm(cloudwatch, `${place.label}-alarm-${String(a).padStart(3, '0')}`, {
        fn: fnName(a % FUNCTIONS_PER_PLACE),
        alias: 'live',
        metric: a % 2 === 0 ? 'Errors' : 'Duration',
        threshold: a % 2 === 0 ? 10 : 1000,
      });
    for (let a = 0; a < n; a += 25)
      await Promise.all(Array.from({ length: Math.min(25, n - a) }, (_, k) => alarm(a + k)));
    cloudwatch.destroy();
  }
}

const where = () => PLACES.map((p, i) => `${p.label} (${p.account.id}/${p.region}) ${SPREAD[i]}`).join(', ');

function callsRow(runs: readonly Run[]): BenchRow {
  const perSweep = runs.map((r) => r.calls.reduce((a, b) => a + b, 0));
  const exact = runs.every((r) => r.calls.every((c, i) => c === pagesOf(SPREAD[i] ?? 0)));
  const worst = Math.max(...perSweep);
  return {
    name: `alarm sweep, ${PLACES.length} places, ${total} alarms: DescribeAlarms calls`,
    figure: worst,
    unit: 'calls',
    baseline: 'Σ⌈n/100⌉ pages',
    baselineFigure: expectedCalls,
    ratio: worst / expectedCalls,
    target: `= ${expectedCalls} every sweep, ⌈n/100⌉ in each place`,
    met: exact,
    notes: `${runs.length} sweeps of every place, counted by the emulator per place (GET /_emulator/calls?by=place); alarms per place: ${where()}; calls per place in each sweep: ${[...new Set(runs.map((r) => r.calls.join('+')))].join(' | ')}; ${ACCOUNTS.length} accounts, each read in the bot's assumed-role session`,
  };
}

function timeRow(setting: Setting, runs: readonly Run[]): BenchRow {
  const slowest = runs.map((r) => Math.max(...r.single));
  const ratios = runs.map((r, i) => r.all / (slowest[i] as number));
  const ratio = median(ratios);
  const perPlace = PLACES.map((p, i) => `${p.label} ${median(runs.map((r) => r.single[i] as number)).toFixed(1)}`);
  return {
    name: `alarm sweep, ${PLACES.length} places, ${setting.label}: time (median)`,
    figure: median(runs.map((r) => r.all)),
    unit: 'ms',
    baseline: 'slowest place swept alone (median)',
    baselineFigure: median(slowest),
    ratio,
    spread: spread(ratios),
    ...(setting.judged ? { target: `ratio ≤ ${TARGET}`, met: ratio <= TARGET } : { target: 'none: see notes' }),
    notes: `${RUNS} runs after ${WARMUP} discarded, each a sweep of every place and each place alone, alternating which goes first; ratio = median of per-run ratios; each place alone (median ms): ${perPlace.join(', ')}`,
  };
}
