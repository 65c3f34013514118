/** A metric dimension, as the APIs spell it. */
export interface Dimension {
  Name: string;
  Value: string;
}

/**
 * Stored datapoints of one metric (one namespace, name and exact dimension set), one bucket per second.
 *
 * A bucket keeps sum, count, minimum and maximum exactly. It keeps the individual values only when they differ
 * (value/weight pairs, as PutMetricData's Values/Counts), which is what percentiles need; a bucket of one repeated
 * value needs no list, and most buckets (Invocations) are like that.
 *
 * Buckets are stored column-wise (one array per field) rather than as one object each: simulated traffic writes
 * hundreds of thousands of buckets, and this keeps the garbage collector out of the way.
 */
export class Series {
  readonly seconds: number[] = [];
  readonly sums: number[] = [];
  readonly counts: number[] = [];
  readonly mins: number[] = [];
  readonly maxs: number[] = [];
  /** Per bucket: `[value, weight, value, weight, …]` once it holds more than one distinct value. */
  readonly samples: (number[] | undefined)[] = [];

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly dimensions: Dimension[],
  ) {}

  /** Adds `weight` samples of `value` at `second`. */
  add(second: number, value: number, weight = 1): void {
    const i = this.indexAt(second);
    const count = this.counts[i] as number;
    let list = this.samples[i];
    if (count === 0) {
      this.mins[i] = value;
      this.maxs[i] = value;
    } else if (list === undefined && value !== this.mins[i]) {
      // The bucket held one repeated value until now: spell it out before mixing in another.
      list = [this.mins[i] as number, count];
      this.samples[i] = list;
    }
    if (list) list.push(value, weight);
    this.sums[i] = (this.sums[i] as number) + value * weight;
    this.counts[i] = count + weight;
    if (value < (this.mins[i] as number)) this.mins[i] = value;
    if (value > (this.maxs[i] as number)) this.maxs[i] = value;
  }

  /** Adds a pre-aggregated set of samples (PutMetricData's StatisticValues); percentiles then see its extremes only. */
  addStatistics(second: number, sum: number, count: number, min: number, max: number): void {
    if (count <= 0) return;
    if (min === max) {
      this.add(second, min, count);
      return;
    }
    // Spread as two weighted samples at the extremes so that sum, count, min and max all stay exact.
    const high = Math.min(count, Math.max(0, (sum - min * count) / (max - min)));
    this.add(second, min, count - high);
    this.add(second, max, high);
  }

  /** Index of the first bucket at or after `second` (binary search). */
  lowerBound(second: number): number {
    let lo = 0;
    let hi = this.seconds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seconds[mid] as number) < second) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexAt(second: number): number {
    const last = this.seconds.length - 1;
    // Traffic arrives in time order, so the common case is the last bucket or a new one after it.
    if (last >= 0 && this.seconds[last] === second) return last;
    const index = last < 0 || (this.seconds[last] as number) < second ? last + 1 : this.lowerBound(second);
    if (this.seconds[index] === second) return index;
    if (index === this.seconds.length) {
      this.seconds.push(second);
      this.sums.push(0);
      this.counts.push(0);
      this.mins.push(0);
      this.maxs.push(0);
      this.samples.push(undefined);
    } else {
      this.seconds.splice(index, 0, second);
      this.sums.splice(index, 0, 0);
      this.counts.splice(index, 0, 0);
      this.mins.splice(index, 0, 0);
      this.maxs.splice(index, 0, 0);
      this.samples.splice(index, 0, undefined);
    }
    return index;
  }
}

/** The key of a metric: CloudWatch treats each exact dimension set as its own metric, in any order. */
export function metricKey(namespace: string, name: string, dimensions: readonly Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify([namespace, name, dims.map((d) => [d.Name, d.Value])]);
}

/** All series of one region, indexed by metric key. */
export class MetricStore {
  private readonly series = new Map<string, Series>();

  /** The series for a metric, created when `create` is set. */
  get(namespace: string, name: string, dimensions: readonly Dimension[], create: true): Series;
  get(namespace: string, name: string, dimensions: readonly Dimension[], create?: false): Series | undefined;
  get(namespace: string, name: string, dimensions: readonly Dimension[], create = false): Series | undefined {
    const key = metricKey(namespace, name, dimensions);
    let s = this.series.get(key);
    if (!s && create) {
      s = new Series(namespace, name, [...dimensions]);
      this.series.set(key, s);
    }
    return s;
  }

  all(): IterableIterator<Series> {
    return this.series.values();
  }
}
