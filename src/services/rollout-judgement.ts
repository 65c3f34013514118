import { type JudgeThresholds, judge, type Verdict } from '../domain/judge.js';
import type { Rollout } from '../domain/rollout.js';
import type { Target } from '../domain/target.js';
import type { MetricSource } from '../ports.js';
import type { AlarmLookup } from './rollouts.js';

/**
 * The canary against the baseline since the current step began (CloudWatch's `ExecutedVersion`
 * metrics on the alias), judged with the alias's thresholds; `waited` counts from when the step
 * began waiting for enough traffic.
 */
export async function judgeStep(
  metrics: MetricSource,
  target: Target,
  rollout: Rollout,
  thresholds: JudgeThresholds,
  now: Date,
): Promise<Verdict> {
  const { plan } = rollout;
  const s = rollout.state;
  const since =
    s.phase === 'shifting' && s.stepStartedAt ? s.stepStartedAt : (rollout.applied.at(-1)?.at ?? rollout.createdAt);
  const stats = await metrics.versions(target, plan.alias, [plan.canary, plan.baseline], new Date(since), now);
  const waited = now.getTime() - Date.parse(rollout.waitingSince ?? since);
  const none = { invocations: 0, errors: 0 };
  return judge(stats.get(plan.canary) ?? none, stats.get(plan.baseline) ?? none, thresholds, waited);
}

/** The first alarm the rollout watches that is in ALARM, if any; throws when the states cannot be read. */
export async function firstInAlarm(alarms: AlarmLookup, rollout: Rollout): Promise<string | undefined> {
  if (rollout.plan.alarms.length === 0) return undefined;
  const states = await alarms(rollout.plan.fn, rollout.plan.alias);
  return states.find((a) => rollout.plan.alarms.includes(a.name) && a.state === 'ALARM')?.name;
}
