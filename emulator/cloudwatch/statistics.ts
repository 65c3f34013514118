import type { Series } from './series.js';

/** The samples of one period, merged from its buckets. */
export interface Aggregate {
  sum: number;
  count: number;
  min: number;
  max: number;
  /** Value/weight pairs, gathered only when a percentile was asked for. */
  samples?: [number, number][];
}

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/i;

/** True for a statistic this emulator computes: the five basic ones or a percentile `pNN` / `pNN.NN`. */
export function isKnownStatistic(stat: string): boolean {
  return ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'].includes(stat) || PERCENTILE.test(stat);
}

/** Merges the buckets of `series` in [fromSecond, toSecond); undefined when there is no sample. */
export function aggregate(
  series: Series,
  fromSecond: number,
  toSecond: number,
  withSamples: boolean,
): Aggregate | undefined {
  let i = series.lowerBound(fromSecond);
  const agg: Aggregate = { sum: 0, count: 0, min: Infinity, max: -Infinity };
  if (withSamples) agg.samples = [];
  for (; i < series.buckets.length; i++) {
    const b = series.buckets[i];
    if (!b || b.second >= toSecond) break;
    agg.sum += b.sum;
    agg.count += b.count;
    agg.min = Math.min(agg.min, b.min);
    agg.max = Math.max(agg.max, b.max);
    if (agg.samples) {
      if (b.values && b.weights) {
        for (let k = 0; k < b.values.length; k++) agg.samples.push([b.values[k] as number, b.weights[k] ?? 1]);
      } else agg.samples.push([b.min, b.count]);
    }
  }
  return agg.count > 0 ? agg : undefined;
}

/** True when computing `stat` needs the individual samples. */
export function needsSamples(stat: string): boolean {
  return PERCENTILE.test(stat);
}

/**
 * Computes a statistic from an aggregate. Percentiles use the nearest-rank method over the (weighted) samples,
 * so p50 of 1..100 is 50 and p100 is the maximum.
 */
export function statistic(agg: Aggregate, stat: string): number {
  switch (stat) {
    case 'Sum':
      return agg.sum;
    case 'Average':
      return agg.sum / agg.count;
    case 'SampleCount':
      return agg.count;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
  }
  const p = Number(stat.slice(1));
  const samples = (agg.samples ?? []).slice().sort((a, b) => a[0] - b[0]);
  const rank = (p / 100) * agg.count;
  let seen = 0;
  for (const [value, weight] of samples) {
    seen += weight;
    if (seen >= rank - 1e-9) return value;
  }
  return agg.max;
}
