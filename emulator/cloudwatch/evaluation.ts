import type { ComparisonOperator, StateValue, TreatMissingData } from './model.js';

/** One period of the evaluation range, newest first; `value` is absent for a missing datapoint. */
export interface Datapoint {
  timestamp: number;
  value?: number;
  sampleCount?: number;
}

/** What an evaluation concluded, before it is put into words. */
export type Verdict =
  | { kind: 'keep' }
  | { kind: 'insufficient'; missing: Datapoint[] }
  | { kind: 'allMissing'; state: 'ALARM' | 'OK'; missing: Datapoint[] }
  /** `considered`: the real datapoints weighed (newest first); `shown`: those the reason lists. */
  | { kind: 'threshold'; state: 'ALARM' | 'OK'; considered: Datapoint[]; shown: Datapoint[]; count: number };

export interface EvaluationInput {
  /** The evaluation range, newest first; longer than `evaluationPeriods` so that CloudWatch can look back. */
  range: Datapoint[];
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: ComparisonOperator;
  treatMissingData: TreatMissingData;
}

/** True when a value breaches the threshold. */
export function breaches(value: number, comparison: ComparisonOperator, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * Decides a metric alarm's state as CloudWatch documents it ("Configuring how CloudWatch alarms treat missing
 * data"):
 * - With at least N real datapoints in the evaluation range, the N most recent real ones are weighed and
 *   TreatMissingData does not matter; M breaching of them means ALARM.
 * - With none, `missing` gives INSUFFICIENT_DATA, `ignore` keeps the state, `breaching`/`notBreaching` give
 *   ALARM/OK.
 * - With some, every real one is weighed and missing ones are filled in as few times as possible:
 *   `breaching`/`notBreaching` fill them in; `missing` weighs only the real ones (ALARM when min(M, real) of them
 *   breach); `ignore` keeps the state unless both ways of filling agree.
 */
export function evaluateAlarm(input: EvaluationInput): Verdict {
  const { evaluationPeriods: n, datapointsToAlarm: m } = input;
  const real = input.range.filter((d) => d.value !== undefined);
  const isBreach = (d: Datapoint) => breaches(d.value as number, input.comparison, input.threshold);
  const verdict = (state: 'ALARM' | 'OK', considered: Datapoint[]) => ({
    kind: 'threshold' as const,
    state,
    considered,
    shown: considered.filter((d) => isBreach(d) === (state === 'ALARM')),
    count: 0,
  });
  const finish = (v: ReturnType<typeof verdict>, filledBreaching: number): Verdict => ({
    ...v,
    count: v.shown.length + (v.state === 'ALARM' ? filledBreaching : 0),
  });

  if (real.length >= n) {
    const considered = real.slice(0, n);
    const breaching = considered.filter(isBreach).length;
    return finish(verdict(breaching >= m ? 'ALARM' : 'OK', considered), 0);
  }
  const missing = input.range
    .slice(0, n)
    .filter((d) => d.value === undefined)
    .slice(0, n - real.length);
  if (real.length === 0) {
    switch (input.treatMissingData) {
      case 'missing':
        return { kind: 'insufficient', missing };
      case 'ignore':
        return { kind: 'keep' };
      case 'breaching':
        return { kind: 'allMissing', state: 'ALARM', missing };
      case 'notBreaching':
        return { kind: 'allMissing', state: 'OK', missing };
    }
  }
  const breachingReal = real.filter(isBreach).length;
  const fill = n - real.length;
  switch (input.treatMissingData) {
    case 'breaching':
      return finish(verdict(breachingReal + fill >= m ? 'ALARM' : 'OK', real), fill);
    case 'notBreaching':
      return finish(verdict(breachingReal >= m ? 'ALARM' : 'OK', real), 0);
    case 'missing':
      return finish(verdict(breachingReal >= Math.min(m, real.length) ? 'ALARM' : 'OK', real), 0);
    case 'ignore': {
      const worst = breachingReal + fill >= m;
      const best = breachingReal >= m;
      if (worst !== best) return { kind: 'keep' };
      return finish(verdict(best ? 'ALARM' : 'OK', real), 0);
    }
  }
}

/** The state a verdict leads to from `current`. */
export function nextState(verdict: Verdict, current: StateValue): StateValue {
  switch (verdict.kind) {
    case 'keep':
      return current;
    case 'insufficient':
      return 'INSUFFICIENT_DATA';
    default:
      return verdict.state;
  }
}
