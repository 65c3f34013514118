/** How the watch's Lambda calls fall within one run: per function, per operation, over time, per place. */
import type { Call } from './outside-world.js';

/** One run of the watch, as the benchmark's wrapper of the leader job saw it (epoch ms). */
export interface Run {
  readonly start: number;
  readonly end: number;
}

export interface RunStats {
  readonly calls: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** The most and the fewest calls any one function got, over every function of the policy. */
  readonly perFunctionMax: number;
  readonly perFunctionMin: number;
  readonly wallMs: number;
  /** The first and the last call, ms after the run started. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** The share of the run's calls in each tenth of the interval after the run started, and an eleventh: beyond it. */
  readonly tenths: readonly number[];
  /** The most calls into one place within any one second. */
  readonly busiestSecond: number;
}

/** `calls` that fall within `run`, with `functions` (`place/name`) the policy's functions, each counted even if unread. */
export function runStats(run: Run, calls: readonly Call[], intervalMs: number, functions: readonly string[]): RunStats {
  const inRun = calls.filter((c) => c.at >= run.start && c.at <= run.end);
  const byOperation: Record<string, number> = {};
  const perFunction = new Map(functions.map((f) => [f, 0]));
  const byPlace = new Map<string, number[]>();
  const tenths = Array.from({ length: 11 }, () => 0);
  for (const c of inRun) {
    byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
    const key = `${c.place}/${c.fn}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + 1);
    byPlace.set(c.place, [...(byPlace.get(c.place) ?? []), c.at]);
    const tenth = Math.min(10, Math.floor(((c.at - run.start) / intervalMs) * 10));
    tenths[tenth] = (tenths[tenth] ?? 0) + 1;
  }
  const counts = [...perFunction.values()];
  const offsets = inRun.map((c) => c.at - run.start);
  return {
    calls: inRun.length,
    byOperation,
    perFunctionMax: Math.max(...counts),
    perFunctionMin: Math.min(...counts),
    wallMs: run.end - run.start,
    firstMs: offsets.length ? Math.min(...offsets) : 0,
    lastMs: offsets.length ? Math.max(...offsets) : 0,
    tenths: tenths.map((n) => (inRun.length ? n / inRun.length : 0)),
    busiestSecond: Math.max(0, ...[...byPlace.values()].map(busiest)),
  };
}

/** The most of `times` (epoch ms, ascending) within any window of one second. */
function busiest(times: readonly number[]): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] as number) - (times[from] as number) >= 1000) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** How many of `calls` fall in none of `runs`: work the watch did outside its runs, or someone else's. */
export function outsideRuns(runs: readonly Run[], calls: readonly Call[]): number {
  return calls.filter((c) => !runs.some((r) => c.at >= r.start && c.at <= r.end)).length;
}

/** `12 10 9 … 0, 0 beyond`: percent of the calls by tenth of the interval, and after it. */
export function tenthsText(tenths: readonly number[]): string {
  const within = tenths.slice(0, 10).map((t) => Math.round(t * 100));
  return `${within.join(' ')}, ${Math.round((tenths[10] ?? 0) * 100)} beyond`;
}
