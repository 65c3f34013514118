/**
 * Progressive rollouts as a pure state machine (CodeDeploy's canary and linear shifts, with
 * Argo-style control):
 *
 *   planned ─start─▶ shifting(k) ─step─▶ shifting(k+1) … ─last step─▶ baking ─▶ completed
 *                     ⇅ pause/resume        ⇅ pause/resume
 *   any live phase ─abort─▶ aborted · ─alarm / judged bad─▶ rolled back · ─promote─▶ completed
 *
 * The machine says what must happen to the alias (`effect`); the stepper applies it with the
 * alias's RevisionId and then reports back, so that a crash between the two is recoverable.
 */

import type { JudgeThresholds } from './judge.js';
import type { BreakGlassUse } from './outcome.js';
import { type Routing, single } from './routing.js';
import type { Schedule } from './schedule.js';
import type { Where } from './target.js';

export interface RolloutPlan {
  readonly fn: string;
  readonly alias: string;
  /** The function's account and region (absent on rollouts planned before accounts). */
  readonly where?: Where;
  /** The version serving when the rollout started: what abort and rollback return to. */
  readonly baseline: string;
  readonly canary: string;
  readonly schedule: Schedule;
  readonly bakeMs: number;
  readonly judge?: JudgeThresholds;
  /** Alarms watched, found when the rollout was planned. */
  readonly alarms: readonly string[];
}

export type Phase =
  | { readonly phase: 'planned' }
  /** `step` is the index of the last step applied (-1: none yet); the next is due at `nextAt`. */
  | { readonly phase: 'shifting'; readonly step: number; readonly nextAt: string; readonly stepStartedAt?: string }
  | {
      readonly phase: 'paused';
      readonly step: number;
      readonly from: 'shifting' | 'baking';
      readonly reason: string;
      readonly by: string;
      readonly at: string;
    }
  | { readonly phase: 'baking'; readonly until: string }
  | { readonly phase: 'completed'; readonly at: string; readonly by: string }
  | { readonly phase: 'aborted'; readonly at: string; readonly by: string; readonly reason: string }
  | { readonly phase: 'rolled-back'; readonly at: string; readonly by: string; readonly reason: string };

export interface Rollout {
  readonly id: string;
  readonly plan: RolloutPlan;
  readonly state: Phase;
  readonly startedBy: string;
  readonly approvedBy?: readonly string[];
  /** The request ID of the command that started it: every audit record of the rollout shares it. */
  readonly request: string;
  readonly createdAt: string;
  /** The alias's RevisionId after the rollout's last change: the next step applies only on top of it. */
  readonly expectedRevision?: string;
  /** Steps applied, in order: percent and when. */
  readonly applied: readonly { readonly step: number; readonly percent: number; readonly at: string }[];
  readonly channel: string;
  readonly message?: { readonly channel: string; readonly ts: string };
  /**
   * A routing the rollout decided on (abort, rollback, promote) but has not yet seen applied: kept
   * until AWS confirms, so that a crash or an AWS outage cannot leave traffic where it was.
   */
  readonly pendingRoute?: Routing;
  /** When the current step started waiting for enough canary traffic to judge. */
  readonly waitingSince?: string;
  /** Started with break-glass (CONTRACT §11): its start and steps are recorded as such. */
  readonly breakGlass?: BreakGlassUse;
  readonly revision: number;
}

export type RolloutEvent =
  | { readonly type: 'start'; readonly at: string }
  | { readonly type: 'step-applied'; readonly step: number; readonly at: string; readonly revisionId: string }
  | { readonly type: 'bake-done'; readonly at: string }
  | { readonly type: 'pause'; readonly by: string; readonly reason: string; readonly at: string }
  | { readonly type: 'resume'; readonly by: string; readonly at: string }
  | { readonly type: 'abort'; readonly by: string; readonly reason: string; readonly at: string }
  | { readonly type: 'rollback'; readonly by: string; readonly reason: string; readonly at: string }
  | { readonly type: 'promote'; readonly by: string; readonly at: string }
  /** The rollout's own restore or promote reached AWS. */
  | { readonly type: 'restored'; readonly at: string; readonly revisionId: string };

/** What the alias must become after a transition. */
export type Effect = { readonly kind: 'none' } | { readonly kind: 'route'; readonly routing: Routing };

export type RolloutTransition =
  | { readonly ok: true; readonly next: Rollout; readonly effect: Effect }
  | { readonly ok: false; readonly reason: string };

export function isLive(state: Phase): boolean {
  return state.phase === 'shifting' || state.phase === 'paused' || state.phase === 'baking';
}

/** Still the stepper's business: not ended, or ended with traffic not yet where it decided. */
export function isOpen(rollout: Rollout): boolean {
  return isLive(rollout.state) || rollout.state.phase === 'planned' || rollout.pendingRoute !== undefined;
}

/** The plan in words, for the approval request and the progress message. */
export function planSummary(plan: RolloutPlan): string {
  const { steps, everyMs, preset } = plan.schedule;
  const every = everyMs >= 60_000 && everyMs % 60_000 === 0 ? `${everyMs / 60_000} min` : `${everyMs / 1000} s`;
  const how = steps.length === 1 ? 'all at once' : `${steps.map((p) => `${p}%`).join(' → ')}, every ${every}`;
  const bake =
    plan.bakeMs > 0
      ? `, then ${Math.round(plan.bakeMs / 60_000) || `${plan.bakeMs / 1000} s`}${plan.bakeMs >= 60_000 ? ' min' : ''} baking at 100%`
      : '';
  const judged = plan.judge ? ', judged against the baseline at each step' : '';
  const alarms = plan.alarms.length ? `; rolls back if ${plan.alarms.join(', ')} alarms` : '; no alarms watched';
  return `v${plan.baseline} → v${plan.canary}${preset ? ` (${preset})` : ''}: ${how}${bake}${judged}${alarms}`;
}

/** The routing of step `index`: the canary's share, the rest on the baseline; the last step is the canary alone. */
export function routingAt(plan: RolloutPlan, index: number): Routing {
  const percent = plan.schedule.steps[index] ?? 0;
  if (percent >= 100) return single(plan.canary);
  if (percent <= 0) return single(plan.baseline);
  return { primary: plan.baseline, additional: { version: plan.canary, weight: Math.round(percent * 1000) / 100_000 } };
}

/**
 * @example transition(planned, { type: 'start', at }) → { next: shifting(-1, nextAt: at), effect: none }
 */
export function transition(rollout: Rollout, event: RolloutEvent): RolloutTransition {
  const s = rollout.state;
  const to = (state: Phase, effect: Effect = { kind: 'none' }, patch: Partial<Rollout> = {}): RolloutTransition => {
    const { waitingSince: _, ...rest } = rollout;
    const pending = effect.kind === 'route' ? { pendingRoute: effect.routing } : {};
    return { ok: true, next: { ...rest, ...patch, ...pending, state, revision: rollout.revision + 1 }, effect };
  };
  const refuse = (reason: string): RolloutTransition => ({ ok: false, reason });
  const { plan } = rollout;
  const last = plan.schedule.steps.length - 1;

  switch (event.type) {
    case 'start':
      return s.phase === 'planned'
        ? to({ phase: 'shifting', step: -1, nextAt: event.at })
        : refuse('it has already started');
    case 'step-applied': {
      if (s.phase !== 'shifting') return refuse(`it is ${describe(s)}`);
      if (event.step !== s.step + 1) return refuse(`step ${event.step + 1} is not the next one (${s.step + 2})`);
      const applied = [
        ...rollout.applied,
        { step: event.step, percent: plan.schedule.steps[event.step] ?? 0, at: event.at },
      ];
      const patch = { applied, expectedRevision: event.revisionId };
      if (event.step < last) {
        return to(
          {
            phase: 'shifting',
            step: event.step,
            nextAt: plus(event.at, plan.schedule.everyMs),
            stepStartedAt: event.at,
          },
          undefined,
          patch,
        );
      }
      return plan.bakeMs > 0
        ? to({ phase: 'baking', until: plus(event.at, plan.bakeMs) }, undefined, patch)
        : to({ phase: 'completed', at: event.at, by: 'system' }, undefined, patch);
    }
    case 'bake-done':
      return s.phase === 'baking'
        ? to({ phase: 'completed', at: event.at, by: 'system' })
        : refuse(`it is ${describe(s)}`);
    case 'pause':
      if (s.phase === 'shifting')
        return to({
          phase: 'paused',
          step: s.step,
          from: 'shifting',
          reason: event.reason,
          by: event.by,
          at: event.at,
        });
      if (s.phase === 'baking')
        return to({ phase: 'paused', step: last, from: 'baking', reason: event.reason, by: event.by, at: event.at });
      return refuse(`it is ${describe(s)}`);
    case 'resume':
      if (s.phase !== 'paused') return refuse(`it is ${describe(s)}, not paused`);
      // Resuming restarts the wait of the current step (or the whole bake): time spent paused proves nothing.
      return s.from === 'shifting'
        ? to({
            phase: 'shifting',
            step: s.step,
            nextAt: plus(event.at, s.step < 0 ? 0 : plan.schedule.everyMs),
            stepStartedAt: event.at,
          })
        : to({ phase: 'baking', until: plus(event.at, plan.bakeMs) });
    case 'abort':
    case 'rollback':
      if (!isLive(s) && s.phase !== 'planned') return refuse(`it is ${describe(s)}`);
      return to(
        { phase: event.type === 'abort' ? 'aborted' : 'rolled-back', at: event.at, by: event.by, reason: event.reason },
        s.phase === 'planned' || (s.phase === 'shifting' && s.step < 0)
          ? { kind: 'none' }
          : { kind: 'route', routing: single(plan.baseline) },
      );
    case 'promote':
      if (!isLive(s)) return refuse(`it is ${describe(s)}`);
      return to({ phase: 'completed', at: event.at, by: event.by }, { kind: 'route', routing: single(plan.canary) });
    case 'restored': {
      if (!rollout.pendingRoute) return refuse('nothing was waiting to be applied');
      const { pendingRoute: _, ...rest } = rollout;
      return {
        ok: true,
        next: { ...rest, expectedRevision: event.revisionId, revision: rollout.revision + 1 },
        effect: { kind: 'none' },
      };
    }
  }
}

/** The routing the rollout has put on the alias so far (what drift is measured against). */
export function currentRouting(rollout: Rollout): Routing {
  const s = rollout.state;
  if (s.phase === 'completed') return single(rollout.plan.canary);
  if (s.phase === 'aborted' || s.phase === 'rolled-back' || s.phase === 'planned') return single(rollout.plan.baseline);
  const step = s.phase === 'baking' ? rollout.plan.schedule.steps.length - 1 : s.step;
  return step < 0 ? single(rollout.plan.baseline) : routingAt(rollout.plan, step);
}

/** The phase as an adjective: "it is …". */
export function describe(s: Phase): string {
  return s.phase === 'planned' ? 'not started' : s.phase === 'rolled-back' ? 'rolled back' : s.phase;
}

function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * Why a rollout to `version` cannot start from the alias's routing, or undefined when it can: it
 * starts from one published version that is not the canary itself.
 * @example startProblem({ primary: '$LATEST' }, '5') === 'points at $LATEST; promote a published version first'
 */
export function startProblem(routing: Routing, version: string): string | undefined {
  if (routing.additional) return 'is already split between two versions; promote or shift it to one version first';
  if (routing.primary === '$LATEST') return 'points at $LATEST; promote a published version first';
  if (routing.primary === version) return `already sends 100% to v${version}`;
  return undefined;
}
