/** The rows of the memory benchmark, from its samples (see docs/benchmarks.md for the targets' reasoning). */
import type { MemorySample } from './memory-probe.js';
import { median, slope } from './stats.js';
import type { BenchRow } from './types.js';

const IDLE_TARGET = 2;
/** RSS growth per 1,000 commands once warm: at most 20 MB over 10,000 commands. */
const GROWTH_TARGET_MB = 2;
/** Heap growth per 1,000 commands over the second half: 200 bytes a command. */
const LEAK_TARGET_MB = 0.2;
const BASELINE = 'bare Bolt app, no-op ack';

export interface MemoryRun {
  readonly idle: { readonly bot: MemorySample; readonly bare: MemorySample };
  /** One sample every `checkpoint` commands (requests, for the bare app). */
  readonly bot: readonly MemorySample[];
  readonly bare: readonly MemorySample[];
  readonly checkpoint: number;
  /** What the run did, for the notes. */
  readonly run: string;
}

const mb = (v: number) => v.toFixed(1);
const n = (v: number) => v.toLocaleString('en-US');
const series = (s: readonly MemorySample[], f: (m: MemorySample) => number) => s.map((m) => mb(f(m))).join(' ');
/** figure / baseline, or no ratio where the baseline is too near zero to divide by. */
const ratioOf = (figure: number, baseline: number, floor: number) =>
  Math.abs(baseline) >= floor ? figure / baseline : Number.NaN;

/** Least-squares growth of `f` per 1,000 commands over the samples from index `from` on. */
function growthPerThousand(
  run: MemoryRun,
  samples: readonly MemorySample[],
  from: number,
  f: (m: MemorySample) => number,
) {
  const xs = samples.map((_, i) => ((i + 1) * run.checkpoint) / 1000).slice(from);
  return slope(xs, samples.slice(from).map(f));
}

export function memoryRows(run: MemoryRun): BenchRow[] {
  const { idle, bot, bare } = run;
  const last = (s: readonly MemorySample[]) => s[s.length - 1] as MemorySample;
  const total = n(bot.length * run.checkpoint);
  const idleRatio = idle.bot.rssMb / idle.bare.rssMb;
  // Once warm (from the first checkpoint on), after a full collection: what the process keeps.
  const rss = {
    bot: growthPerThousand(run, bot, 0, (m) => m.rssAfterGcMb),
    bare: growthPerThousand(run, bare, 0, (m) => m.rssAfterGcMb),
  };
  const half = Math.floor(bot.length / 2);
  const heap = {
    bot: growthPerThousand(run, bot, half, (m) => m.heapMb),
    bare: growthPerThousand(run, bare, half, (m) => m.heapMb),
  };
  const step = (i: MemorySample, s: readonly MemorySample[]) => last(s).rssAfterGcMb - i.rssAfterGcMb;
  const warm = (s: readonly MemorySample[]) => median(s.map((m) => m.rssAfterGcMb));
  return [
    {
      name: 'memory: RSS idle after start',
      figure: idle.bot.rssMb,
      unit: 'MB',
      baseline: BASELINE,
      baselineFigure: idle.bare.rssMb,
      ratio: idleRatio,
      target: `ratio ≤ ${IDLE_TARGET}`,
      met: idleRatio <= IDLE_TARGET,
      notes: `a few seconds after start; V8 heap in use after a full collection: bot ${mb(idle.bot.heapMb)} MB, bare ${mb(idle.bare.heapMb)} MB`,
    },
    {
      name: `memory: RSS after ${total} commands`,
      figure: last(bot).rssMb,
      unit: 'MB',
      baseline: BASELINE,
      baselineFigure: last(bare).rssMb,
      ratio: last(bot).rssMb / last(bare).rssMb,
      notes: `${run.run}; RSS as read every ${n(run.checkpoint)} commands, bot: ${series(bot, (m) => m.rssMb)}; bare: ${series(bare, (m) => m.rssMb)} MB; after a full collection: median bot ${mb(warm(bot))}, bare ${mb(warm(bare))} MB`,
    },
    {
      name: `memory: RSS after GC, idle → ${total} commands`,
      figure: step(idle.bot, bot),
      unit: 'MB',
      baseline: BASELINE,
      baselineFigure: step(idle.bare, bare),
      ratio: ratioOf(step(idle.bot, bot), step(idle.bare, bare), 1),
      notes: `the warm-up step: V8 young generation idle → end, bot ${mb(idle.bot.newSpaceMb)} → ${mb(last(bot).newSpaceMb)} MB, bare ${mb(idle.bare.newSpaceMb)} → ${mb(last(bare).newSpaceMb)} MB; code space bot ${mb(idle.bot.codeSpaceMb)} → ${mb(last(bot).codeSpaceMb)} MB; RSS after GC, idle → every ${n(run.checkpoint)}, bot: ${mb(idle.bot.rssAfterGcMb)} → ${series(bot, (m) => m.rssAfterGcMb)}; bare: ${mb(idle.bare.rssAfterGcMb)} → ${series(bare, (m) => m.rssAfterGcMb)} MB`,
    },
    {
      name: 'memory: RSS after GC, growth per 1,000 commands once warm',
      figure: rss.bot,
      unit: 'MB',
      baseline: BASELINE,
      baselineFigure: rss.bare,
      ratio: ratioOf(rss.bot, rss.bare, 0.1),
      target: `≤ ${GROWTH_TARGET_MB} MB (${GROWTH_TARGET_MB * 10} MB / 10,000)`,
      met: rss.bot <= GROWTH_TARGET_MB,
      notes: `least-squares slope over the samples at ${n(run.checkpoint)}–${total} commands`,
    },
    {
      name: 'memory: heap after GC, growth per 1,000 commands (leak check)',
      figure: heap.bot,
      unit: 'MB',
      baseline: BASELINE,
      baselineFigure: heap.bare,
      ratio: ratioOf(heap.bot, heap.bare, 0.01),
      target: `≤ ${LEAK_TARGET_MB} MB`,
      met: heap.bot <= LEAK_TARGET_MB,
      notes: `least-squares slope over commands ${n(half * run.checkpoint)}–${total}; heap in use after a full collection every ${n(run.checkpoint)}, bot: ${series(bot, (m) => m.heapMb)}; bare: ${series(bare, (m) => m.heapMb)} MB`,
    },
  ];
}
