import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, errorTest, judge, normalCdf } from '../../../src/domain/judge.js';

const t = DEFAULT_THRESHOLDS;

describe('normalCdf', () => {
  it.each([
    [0, 0.5],
    [1.6449, 0.95],
    [2.3263, 0.99],
    [-1.96, 0.025],
    [3.09, 0.999],
  ])('Φ(%f) ≈ %f', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 4);
  });
});

describe('errorTest (two proportions, one-sided)', () => {
  it('the worked example: 15/500 canary vs 45/4500 baseline', () => {
    const r = errorTest({ invocations: 500, errors: 15 }, { invocations: 4500, errors: 45 });
    expect(r.canaryRate).toBeCloseTo(0.03);
    expect(r.baseRate).toBeCloseTo(0.01);
    expect(r.z).toBeCloseTo(3.9, 1);
    expect(r.p).toBeLessThan(0.0001);
  });

  it('equal rates give z ≈ 0', () => {
    expect(errorTest({ invocations: 1000, errors: 10 }, { invocations: 9000, errors: 90 }).z).toBeCloseTo(0, 6);
  });

  it('no errors anywhere is not evidence of anything', () => {
    expect(errorTest({ invocations: 1000, errors: 0 }, { invocations: 9000, errors: 0 })).toMatchObject({ z: 0, p: 1 });
  });
});

describe('judge', () => {
  it('fails a canary whose error rate is 3× the baseline with enough traffic', () => {
    expect(judge({ invocations: 500, errors: 15 }, { invocations: 4500, errors: 45 }, t, 0).verdict).toBe('fail');
  });

  it('passes a canary as healthy as the baseline', () => {
    expect(judge({ invocations: 500, errors: 5 }, { invocations: 4500, errors: 45 }, t, 0).verdict).toBe('pass');
  });

  it('a small but significant difference is marginal, not a failure', () => {
    // 2.0% vs 1.2%: p ≈ 0.02 — worth a human look, not an automatic rollback.
    const verdict = judge({ invocations: 1000, errors: 20 }, { invocations: 9000, errors: 108 }, t, 0);
    expect(verdict.verdict).toBe('marginal');
  });

  it('ignores a certain but negligible difference', () => {
    expect(
      judge({ invocations: 2_000_000, errors: 400 }, { invocations: 18_000_000, errors: 1800 }, t, 0).verdict,
    ).toBe('pass');
  });

  it('waits for traffic, then asks instead of guessing', () => {
    expect(judge({ invocations: 50, errors: 5 }, { invocations: 450, errors: 0 }, t, 0).verdict).toBe('wait');
    expect(judge({ invocations: 50, errors: 5 }, { invocations: 450, errors: 0 }, t, t.maxWaitMs).verdict).toBe(
      'marginal',
    );
  });

  it('fails on p99 latency far above the baseline, marginal when somewhat above', () => {
    const base = { invocations: 4500, errors: 45, p99Ms: 200 };
    expect(judge({ invocations: 500, errors: 5, p99Ms: 320 }, base, t, 0).verdict).toBe('fail');
    expect(judge({ invocations: 500, errors: 5, p99Ms: 250 }, base, t, 0).verdict).toBe('marginal');
    expect(judge({ invocations: 500, errors: 5, p99Ms: 210 }, base, t, 0).verdict).toBe('pass');
  });

  it('says what it saw', () => {
    expect(judge({ invocations: 500, errors: 15 }, { invocations: 4500, errors: 45 }, t, 0).summary).toMatch(
      /^errors 3\.00% vs 1\.00% baseline \(z = 3\.9\d, p = /,
    );
  });
});
