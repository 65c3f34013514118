/**
 * Canary-versus-baseline judgement on the alias's ExecutedVersion metrics (aws-semantics.md §4).
 *
 * Errors: a one-sided two-proportion z-test of "the canary's error rate is higher than the
 * baseline's", with a practical floor so that a statistically certain but negligible difference
 * (0.01% vs 0.02% over millions of calls) does not stop a release. Latency: the ratio of p99
 * durations. Too little canary traffic waits (up to a limit) instead of passing or failing blindly.
 */

export interface VersionStats {
  readonly invocations: number;
  readonly errors: number;
  /** p99 duration in ms over the window; absent when there were no invocations. */
  readonly p99Ms?: number;
}

export interface JudgeThresholds {
  /** Canary invocations needed before any verdict. */
  readonly minInvocations: number;
  /** How long a step may wait for that traffic before asking a human. */
  readonly maxWaitMs: number;
  /** One-sided p-value below which a higher canary error rate fails the canary. */
  readonly failP: number;
  /** One-sided p-value below which it is marginal: pause and ask. */
  readonly marginalP: number;
  /** Ignore error-rate differences smaller than this many percentage points… */
  readonly minErrorRateDelta: number;
  /** …or smaller than this ratio of the baseline's rate. */
  readonly minErrorRateRatio: number;
  /** p99 canary/baseline above which the canary fails, and above which it is marginal. */
  readonly p99FailRatio: number;
  readonly p99MarginalRatio: number;
}

export const DEFAULT_THRESHOLDS: JudgeThresholds = {
  minInvocations: 200,
  maxWaitMs: 10 * 60_000,
  failP: 0.01,
  marginalP: 0.05,
  minErrorRateDelta: 0.5,
  minErrorRateRatio: 1.5,
  p99FailRatio: 1.5,
  p99MarginalRatio: 1.2,
};

export type Verdict =
  | { readonly verdict: 'pass'; readonly summary: string }
  | { readonly verdict: 'fail'; readonly summary: string }
  | { readonly verdict: 'marginal'; readonly summary: string }
  | { readonly verdict: 'wait'; readonly summary: string };

/**
 * @example judge({ invocations: 500, errors: 15 }, { invocations: 4500, errors: 45 }, DEFAULT_THRESHOLDS, 0)
 *   → { verdict: 'fail', summary: 'errors 3.00% vs 1.00% baseline (z = 3.90, p = 0.00005)' }
 */
export function judge(canary: VersionStats, baseline: VersionStats, t: JudgeThresholds, waitedMs: number): Verdict {
  if (canary.invocations < t.minInvocations) {
    const summary = `only ${canary.invocations} of ${t.minInvocations} canary invocations needed to judge`;
    return waitedMs >= t.maxWaitMs
      ? { verdict: 'marginal', summary: `${summary}, after waiting the longest allowed` }
      : { verdict: 'wait', summary };
  }
  const errors = errorTest(canary, baseline);
  const p99 = p99Ratio(canary, baseline);
  const rates = `errors ${pct(errors.canaryRate)} vs ${pct(errors.baseRate)} baseline (z = ${errors.z.toFixed(2)}, p = ${fmtP(errors.p)})`;
  const latency =
    p99 === undefined
      ? ''
      : `; p99 ${Math.round(canary.p99Ms ?? 0)} ms vs ${Math.round(baseline.p99Ms ?? 0)} ms (×${p99.toFixed(2)})`;
  const summary = rates + latency;
  const meaningful =
    (errors.canaryRate - errors.baseRate) * 100 >= t.minErrorRateDelta &&
    (errors.baseRate === 0 || errors.canaryRate / errors.baseRate >= t.minErrorRateRatio);
  if ((meaningful && errors.p < t.failP) || (p99 !== undefined && p99 >= t.p99FailRatio))
    return { verdict: 'fail', summary };
  if ((meaningful && errors.p < t.marginalP) || (p99 !== undefined && p99 >= t.p99MarginalRatio)) {
    return { verdict: 'marginal', summary };
  }
  return { verdict: 'pass', summary };
}

/** One-sided two-proportion z-test with the pooled proportion. */
export function errorTest(
  canary: VersionStats,
  baseline: VersionStats,
): { canaryRate: number; baseRate: number; z: number; p: number } {
  const canaryRate = canary.errors / canary.invocations;
  const baseRate = baseline.invocations > 0 ? baseline.errors / baseline.invocations : 0;
  if (baseline.invocations === 0) return { canaryRate, baseRate, z: 0, p: 1 };
  const pooled = (canary.errors + baseline.errors) / (canary.invocations + baseline.invocations);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / canary.invocations + 1 / baseline.invocations));
  if (se === 0) return { canaryRate, baseRate, z: 0, p: 1 };
  const z = (canaryRate - baseRate) / se;
  return { canaryRate, baseRate, z, p: 1 - normalCdf(z) };
}

function p99Ratio(canary: VersionStats, baseline: VersionStats): number | undefined {
  if (canary.p99Ms === undefined || baseline.p99Ms === undefined || baseline.p99Ms <= 0) return undefined;
  return canary.p99Ms / baseline.p99Ms;
}

/** Φ(z) by the Abramowitz–Stegun 7.1.26 approximation of erf (error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

function fmtP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
