/** One figure of one benchmark, always next to its baseline measured in the same run. */
export interface BenchRow {
  readonly name: string;
  /** The measured figure (median over runs). */
  readonly figure: number;
  readonly unit: string;
  /** What the figure is compared with. */
  readonly baseline: string;
  readonly baselineFigure: number;
  /** figure / baselineFigure (median of the per-run ratios). */
  readonly ratio: number;
  /** The goal in words, e.g. `ratio ≥ 0.5`. */
  readonly target?: string;
  readonly met?: boolean;
  /** The ratio's range over the runs, `min–max`. */
  readonly spread?: string;
  readonly notes?: string;
}

/** A benchmark module: listed in bench/index.ts, run by bench/run.ts. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchRow[]>;
}
