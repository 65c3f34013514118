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

/** The `p`-th percentile (0 < p ≤ 100) by nearest rank: a value that was measured, never interpolated. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
