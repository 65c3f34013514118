/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `min–max` with two decimals, e.g. `0.61–0.74`. */
export function spread(values: readonly number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
}

/**
 * Operations per second of `total` calls of `op`, made by `concurrency` callers that each wait
 * for their call before making the next (closed loop), as concurrent users of a service do.
 */
export async function throughput(
  total: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const caller = async () => {
    while (next < total) await op(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  return total / ((performance.now() - start) / 1000);
}

/**
 * `runs` pairs of measurements, `a` and `b` one right after the other, alternating which goes first
 * (`b`, the baseline, in the first pair) so that drift (a warming JIT, a busy neighbour) hits both; `between` runs after each pair. Each
 * ratio (a / b) is taken from two adjacent measurements, which a noisy machine moves much less than
 * either figure alone.
 */
export async function alternate(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
  between: () => Promise<void> = async () => {},
): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  const result = { a: [] as number[], b: [] as number[], ratios: [] as number[] };
  for (let i = 0; i < runs; i++) {
    let x: number;
    let y: number;
    if (i % 2 === 0) {
      y = await b();
      x = await a();
    } else {
      x = await a();
      y = await b();
    }
    result.a.push(x);
    result.b.push(y);
    result.ratios.push(x / y);
    await between();
  }
  return result;
}

/** The `p`-th percentile (0 < p ≤ 100) by nearest rank: a value that was measured, never interpolated. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The least-squares slope of `ys` against `xs` (how much y grows per unit of x). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) throw new Error('slope needs two or more points, as many x as y');
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  if (den === 0) throw new Error('slope of points that share one x');
  return num / den;
}
