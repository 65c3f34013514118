import type { Series } from './series.js';

/** The value/weight pairs of one period, gathered only when a percentile was asked for. */
export interface Samples {
  values: Float64Array;
  weights: Float64Array;
  length: number;
  /** True when every weight is the same, so a plain numeric sort suffices. */
  uniform: boolean;
}

/** The samples of one period, merged from its buckets. */
export interface Aggregate {
  sum: number;
  count: number;
  min: number;
  max: number;
  samples?: Samples;
}

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/i;

/** True for a statistic this emulator computes: the five basic ones or a percentile `pNN` / `pNN.NN`. */
export function isKnownStatistic(stat: string): boolean {
  return ['Sum', 'Average', 'SampleCount', 'Minimum', 'Maximum'].includes(stat) || PERCENTILE.test(stat);
}

/** True when computing `stat` needs the individual samples. */
export function needsSamples(stat: string): boolean {
  return PERCENTILE.test(stat);
}

function newSamples(capacity: number): Samples {
  return { values: new Float64Array(capacity), weights: new Float64Array(capacity), length: 0, uniform: true };
}

/**
 * One sample buffer, reused by every aggregation: alarm evaluation aggregates thousands of periods a minute and
 * reads each result at once, so a fresh buffer each time would only feed the garbage collector.
 */
let scratch = newSamples(1024);

function freshSamples(): Samples {
  scratch.length = 0;
  scratch.uniform = true;
  return scratch;
}

function pushSample(s: Samples, value: number, weight: number): Samples {
  let out = s;
  if (s.length === s.values.length) {
    // Grow by doubling; typed arrays keep the garbage collector out of the alarm evaluation loop.
    out = newSamples(s.values.length * 2);
    out.values.set(s.values);
    out.weights.set(s.weights);
    out.length = s.length;
    out.uniform = s.uniform;
    if (s === scratch) scratch = out;
  }
  if (out.length > 0 && weight !== out.weights[0]) out.uniform = false;
  out.values[out.length] = value;
  out.weights[out.length] = weight;
  out.length += 1;
  return out;
}

/**
 * Merges the buckets of `series` in [fromSecond, toSecond); undefined when there is no sample. The samples (when
 * asked for) live in a shared buffer: read them, through {@link statistic}, before the next call.
 */
export function aggregate(
  series: Series,
  fromSecond: number,
  toSecond: number,
  withSamples: boolean,
): Aggregate | undefined {
  const agg: Aggregate = { sum: 0, count: 0, min: Infinity, max: -Infinity };
  let samples = withSamples ? freshSamples() : undefined;
  const end = series.seconds.length;
  for (let i = series.lowerBound(fromSecond); i < end; i++) {
    if ((series.seconds[i] as number) >= toSecond) break;
    agg.sum += series.sums[i] as number;
    agg.count += series.counts[i] as number;
    if ((series.mins[i] as number) < agg.min) agg.min = series.mins[i] as number;
    if ((series.maxs[i] as number) > agg.max) agg.max = series.maxs[i] as number;
    if (!samples) continue;
    const list = series.samples[i];
    if (list) {
      for (let k = 0; k < list.length; k += 2) samples = pushSample(samples, list[k] as number, list[k + 1] as number);
    } else {
      samples = pushSample(samples, series.mins[i] as number, series.counts[i] as number);
    }
  }
  if (samples) agg.samples = samples;
  return agg.count > 0 ? agg : undefined;
}

/** Nearest-rank percentile over weighted samples: the smallest value whose cumulative weight reaches p% of all. */
function percentile(agg: Aggregate, p: number): number {
  const s = agg.samples;
  if (!s || s.length === 0) return agg.max;
  const rank = (p / 100) * agg.count - 1e-9;
  if (s.uniform) {
    const sorted = s.values.subarray(0, s.length).sort();
    const weight = s.weights[0] as number;
    const index = Math.max(0, Math.ceil(rank / weight) - 1);
    return sorted[Math.min(index, s.length - 1)] as number;
  }
  const order = new Uint32Array(s.length);
  for (let i = 0; i < s.length; i++) order[i] = i;
  order.sort((a, b) => (s.values[a] as number) - (s.values[b] as number));
  let seen = 0;
  for (const i of order) {
    seen += s.weights[i] as number;
    if (seen >= rank) return s.values[i] as number;
  }
  return agg.max;
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
    default:
      return percentile(agg, Number(stat.slice(1)));
  }
}
