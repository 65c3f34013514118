import type { MetricStore, Series } from '../cloudwatch/series.js';
import { type Place, placeKey } from '../core/place.js';
import type { Prng } from '../core/prng.js';
import type { LambdaStore } from '../lambda/store.js';

/** How one version behaves under simulated traffic. */
export interface VersionProfile {
  errorRate: number;
  durationMs: number;
}

/** A traffic simulation on one alias, as `PUT /_emulator/traffic` takes it. */
export interface TrafficSpec {
  account: string;
  region: string;
  function: string;
  alias: string;
  rps: number;
  versions: Record<string, VersionProfile>;
  default: VersionProfile;
}

interface Running {
  spec: TrafficSpec;
  /** Fractional invocations and errors not yet emitted, per version, so that long-run counts are exact. */
  carry: Map<string, { invocations: number; errors: number }>;
  /** The nine series a version writes to, looked up once rather than every second. */
  series: Map<string, SeriesSet>;
}

interface SeriesSet {
  invocations: Series[];
  errors: Series[];
  durations: Series[];
}

/** Durations are log-normal: a realistic right tail, with the mean at the configured duration. */
const DURATION_SIGMA = 0.3;
/** At most this many duration samples a version a second; each stands for its share of the invocations. */
const SAMPLES_PER_SECOND = 20;

const key = (p: Place, fn: string, alias: string) => `${placeKey(p)}\u0000${fn}\u0000${alias}`;
const placeOf = (spec: TrafficSpec): Place => ({ account: spec.account, region: spec.region });

/**
 * Simulated invocation traffic. Each emulated second, each simulated alias's invocations are split by the alias's
 * weights at that moment (so an UpdateAlias shifts traffic at once) and written as the `AWS/Lambda` metrics
 * Lambda publishes: Invocations, Errors and Duration, for {FunctionName}, {FunctionName, Resource} and
 * {FunctionName, Resource, ExecutedVersion}.
 */
export class TrafficSimulator {
  private readonly running = new Map<string, Running>();
  /** Reused for each second's duration samples, to spare the garbage collector. */
  private readonly scratch = new Float64Array(SAMPLES_PER_SECOND);

  constructor(
    private readonly lambda: LambdaStore,
    private readonly metricsOf: (p: Place) => MetricStore,
    private readonly prng: Prng,
  ) {}

  set(spec: TrafficSpec): void {
    this.running.set(key(placeOf(spec), spec.function, spec.alias), { spec, carry: new Map(), series: new Map() });
  }

  delete(p: Place, fn: string, alias: string): boolean {
    return this.running.delete(key(p, fn, alias));
  }

  list(): TrafficSpec[] {
    return [...this.running.values()].map((r) => r.spec);
  }

  clear(): void {
    this.running.clear();
  }

  /** The per-second hook: simulates the second that ends at `secondEndMs`. */
  tick(secondEndMs: number): void {
    const second = secondEndMs / 1000 - 1;
    for (const run of this.running.values()) {
      const split = this.weights(run.spec);
      if (!split) continue;
      for (const [version, weight] of split) {
        const carry = run.carry.get(version) ?? { invocations: 0, errors: 0 };
        carry.invocations += run.spec.rps * weight;
        const n = Math.floor(carry.invocations + 1e-9);
        carry.invocations -= n;
        const profile = run.spec.versions[version] ?? run.spec.default;
        carry.errors += n * profile.errorRate;
        const errors = Math.min(n, Math.floor(carry.errors + 1e-9));
        carry.errors -= errors;
        run.carry.set(version, carry);
        if (n > 0) this.record(this.seriesFor(run, version), second, n, errors, profile.durationMs);
      }
    }
  }

  /** Writes a one-off burst of `count` invocations on an alias at `second`, split by its weights. */
  burst(spec: TrafficSpec, second: number, count: number): boolean {
    const split = this.weights(spec);
    if (!split) return false;
    let left = count;
    split.forEach(([version, weight], i) => {
      const n = i === split.length - 1 ? left : Math.round(count * weight);
      left -= n;
      const profile = spec.versions[version] ?? spec.default;
      if (n > 0) {
        const set = this.seriesFor({ spec, carry: new Map(), series: new Map() }, version);
        this.record(set, second, n, Math.round(n * profile.errorRate), profile.durationMs);
      }
    });
    return true;
  }

  /** The alias's current version → weight split, or undefined when the alias no longer exists. */
  private weights(spec: TrafficSpec): [string, number][] | undefined {
    const found = this.lambda.findAlias(placeOf(spec), spec.function, spec.alias);
    if (!found) return undefined;
    const extra = Object.entries(found.alias.Weights ?? {});
    const rest = 1 - extra.reduce((sum, [, w]) => sum + w, 0);
    return [[found.alias.FunctionVersion, rest], ...extra];
  }

  private seriesFor(run: Running, version: string): SeriesSet {
    const cached = run.series.get(version);
    if (cached) return cached;
    const { spec } = run;
    const metrics = this.metricsOf(placeOf(spec));
    const fn = { Name: 'FunctionName', Value: spec.function };
    const resource = { Name: 'Resource', Value: `${spec.function}:${spec.alias}` };
    const executed = { Name: 'ExecutedVersion', Value: version };
    const dimensionSets = [[fn], [fn, resource], [fn, resource, executed]];
    const of = (name: string) => dimensionSets.map((dims) => metrics.get('AWS/Lambda', name, dims, true));
    const set = { invocations: of('Invocations'), errors: of('Errors'), durations: of('Duration') };
    run.series.set(version, set);
    return set;
  }

  private record(set: SeriesSet, second: number, n: number, errors: number, durationMs: number): void {
    const k = Math.min(n, SAMPLES_PER_SECOND);
    const mu = Math.log(durationMs) - (DURATION_SIGMA * DURATION_SIGMA) / 2;
    const durations = this.scratch;
    for (let i = 0; i < k; i++) {
      durations[i] = Math.round(Math.exp(mu + DURATION_SIGMA * this.prng.normal()) * 100) / 100;
    }
    // Lambda records each invocation as a 1 (Invocations) and each outcome as 1 or 0 (Errors), so Sum,
    // SampleCount and Average (the error rate) all mean what they mean in AWS.
    for (const series of set.invocations) series.add(second, 1, n);
    for (const series of set.errors) {
      if (errors > 0) series.add(second, 1, errors);
      if (n - errors > 0) series.add(second, 0, n - errors);
    }
    for (const series of set.durations) for (let i = 0; i < k; i++) series.add(second, durations[i] as number, n / k);
  }
}
