import type { AuditAction } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { Verdict } from '../domain/judge.js';
import type { Policy } from '../domain/policy-model.js';
import { currentRouting, type Rollout, type RolloutTransition, routingAt, transition } from '../domain/rollout.js';
import { describeRouting, sameRouting } from '../domain/routing.js';
import { actingFor, recordedPlace, type Target } from '../domain/target.js';
import type { AliasState, AuditLog, Clock, LambdaGateway, MetricSource, Notifier, RolloutStore } from '../ports.js';
import type { AliasChanger } from './alias-change.js';
import { transact } from './cas.js';
import { firstInAlarm, judgeStep } from './rollout-judgement.js';
import { RolloutProgress } from './rollout-progress.js';
import type { AlarmLookup } from './rollouts.js';
import { snapshot } from './snapshots.js';

export interface StepperDeps {
  readonly fleet: Fleet;
  readonly lambda: LambdaGateway;
  readonly changer: AliasChanger;
  readonly store: RolloutStore;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly metrics: MetricSource;
  readonly alarms: AlarmLookup;
  readonly clock: Clock;
  readonly policy: Policy;
}

/** Why a rollout ended, for the record of the route it left behind. */
function why(rollout: Rollout): string {
  const s = rollout.state;
  return s.phase === 'aborted' || s.phase === 'rolled-back' ? ` (${s.reason})` : '';
}

/**
 * Moves rollouts forward: applies due steps, judges them, bakes, and carries out decided routes.
 * Runs on one replica at a time (a leader job), and is safe to run twice: every step is applied
 * on top of the RevisionId the rollout last saw, and a step found already applied (a crash between
 * UpdateAlias and recording it) is recorded, not applied again.
 */
export class RolloutStepper {
  private readonly progress: RolloutProgress;

  constructor(private readonly deps: StepperDeps) {
    this.progress = new RolloutProgress(deps);
  }

  async tick(stillLeader: () => Promise<boolean>): Promise<void> {
    for (const rollout of await this.deps.store.live()) {
      if (!(await stillLeader())) return;
      try {
        if (rollout.pendingRoute) await this.settle(rollout);
        else await this.advance(rollout);
      } catch (error) {
        // AWS or Redis had a bad moment: the step is retried next tick, from the stored state.
        await this.show(rollout, `retrying: ${error instanceof Error ? error.message : String(error)}`).catch(() => {});
      }
    }
  }

  /** An automatic rollback (alarm or judgement): all traffic back to the baseline at once. */
  async rollBack(id: string, reason: string): Promise<void> {
    const next = await this.change(id, (r) =>
      transition(r, { type: 'rollback', by: 'system', reason, at: this.now() }),
    );
    await this.record(next, 'system', 'canary.abort', `rolled back automatically: ${reason}`);
    const settled = await this.settle(next);
    const { plan } = next;
    const alerts = this.deps.policy.functions.get(plan.fn)?.alertsChannel ?? this.deps.policy.channels.alerts;
    await this.deps.notifier
      .post(alerts, {
        kind: 'text',
        text: `Rollout of ${plan.fn}:${plan.alias} to v${plan.canary} was rolled back to v${plan.baseline}: ${reason}.`,
      })
      .catch(() => {});
    await this.show(settled, reason);
  }

  /** Applies a decided route (abort, rollback, promote) and records that AWS has it. */
  async settle(rollout: Rollout): Promise<Rollout> {
    const route = rollout.pendingRoute;
    if (!route) return rollout;
    const { plan } = rollout;
    const target = this.target(plan.fn);
    const current = await this.deps.lambda.getAlias(target, plan.alias);
    let revisionId = current.revisionId;
    if (!sameRouting(current.routing, route)) {
      const action: AuditAction = rollout.state.phase === 'completed' ? 'canary.complete' : 'canary.abort';
      const s = rollout.state;
      // As whoever decided it: a person's abort or promote in their session, an automatic rollback in the bot's.
      const decider = 'by' in s && s.by !== 'system' ? s.by : s.phase === 'completed' ? rollout.startedBy : 'system';
      const result = await this.deps.changer.change(this.system(rollout), {
        target: actingFor(target, decider),
        alias: plan.alias,
        action,
        bound: current,
        // A break-glass rollout's completion is part of that change; an abort or rollback is not.
        breakGlass: action === 'canary.complete' && rollout.breakGlass !== undefined,
        note: `${action === 'canary.complete' ? 'all traffic to the canary' : 'all traffic back to the baseline'}${why(rollout)}; rollout ${rollout.id}`,
        route: () => route,
      });
      revisionId = result.after.revisionId;
    }
    const next = await this.change(rollout.id, (r) => transition(r, { type: 'restored', at: this.now(), revisionId }));
    await this.show(next);
    return next;
  }

  private async advance(rollout: Rollout): Promise<void> {
    const s = rollout.state;
    const now = this.deps.clock.now();
    if (s.phase === 'baking' && now.getTime() >= Date.parse(s.until)) {
      // The bake proves something only if the alarms were known to be quiet: a CloudWatch outage
      // delays completion (the lookup throws and the tick retries) rather than passing it.
      const alarming = await firstInAlarm(this.deps.alarms, rollout);
      if (alarming) return this.rollBack(rollout.id, `alarm ${alarming} is in ALARM at the end of the bake`);
      const next = await this.change(rollout.id, (r) => transition(r, { type: 'bake-done', at: now.toISOString() }));
      await this.record(next, 'system', 'canary.complete', `baked until ${s.until} with no alarm`);
      await this.show(next, 'Completed: all traffic on the canary.');
      return;
    }
    if (s.phase !== 'shifting') return this.progress.refresh(rollout);
    if (now.getTime() < Date.parse(s.nextAt)) return this.progress.refresh(rollout);

    const { plan } = rollout;
    // The poller rolls back as soon as it sees an alarm go off; this catches an alarm that was
    // already in ALARM (or went off while no poller ran) before any more traffic moves.
    const alarming = await firstInAlarm(this.deps.alarms, rollout);
    if (alarming) return this.rollBack(rollout.id, `alarm ${alarming} is in ALARM`);
    const target = this.target(plan.fn);
    const alias = await this.deps.lambda.getAlias(target, plan.alias);
    const step = s.step + 1;
    if (rollout.expectedRevision !== undefined && alias.revisionId !== rollout.expectedRevision) {
      if (sameRouting(alias.routing, routingAt(plan, step))) {
        // This step reached AWS but a crash (or Redis failing before its outcome) kept it from being
        // recorded: record it, never re-apply. Its intent is in the log already; this is the outcome
        // the crash kept from being written, and it is written before the rollout moves past the step:
        // a crash between the two then finds the step applied again and records it twice (the same
        // state), where the other order could leave an applied step with no outcome at all.
        await this.deps.audit.append({
          actor: 'system',
          action: 'canary.step',
          function: plan.fn,
          alias: plan.alias,
          ...recordedPlace(target),
          from: snapshot(currentRouting(rollout)),
          to: snapshot(alias.routing),
          result: 'ok',
          detail: `step ${step + 1} of ${plan.schedule.steps.length}: found applied after a restart or a Redis failure; rollout ${rollout.id}`,
          request: rollout.request,
        });
        const next = await this.change(rollout.id, (r) =>
          transition(r, { type: 'step-applied', step, at: now.toISOString(), revisionId: alias.revisionId }),
        );
        if (next.state.phase === 'completed')
          await this.record(next, 'system', 'canary.complete', 'last step applied (recorded after a restart)');
        return this.show(next, `Step ${step + 1} recorded after a restart.`);
      }
      return this.drifted(rollout, alias);
    }
    if (plan.judge && s.step >= 0) {
      const verdict = await judgeStep(this.deps.metrics, this.target(rollout.plan.fn), rollout, plan.judge, now);
      if (verdict.verdict === 'wait') return this.waiting(rollout, verdict);
      if (verdict.verdict === 'fail')
        return this.rollBack(rollout.id, `the canary did worse than the baseline: ${verdict.summary}`);
      if (verdict.verdict === 'marginal') return this.marginal(rollout, verdict);
    }
    const percent = plan.schedule.steps[step] ?? 100;
    try {
      // Steps are made for the person who started the rollout (its requester, once approved).
      const result = await this.deps.changer.change(this.system(rollout), {
        target: actingFor(target, rollout.startedBy),
        alias: plan.alias,
        action: 'canary.step',
        bound: alias,
        breakGlass: rollout.breakGlass !== undefined,
        note: `step ${step + 1} of ${plan.schedule.steps.length}: ${percent}% to v${plan.canary}; rollout ${rollout.id}`,
        route: () => routingAt(plan, step),
      });
      if (!result.record) {
        // Applied, but Redis failed before the outcome was recorded (a failover). Every step of a
        // rollout shares one intent key, so the next step's records would close this intent with
        // no outcome of its own, out of the settler's sight: the rollout stays where it was, and
        // the next tick finds the step applied and records it, as after a crash.
        throw new BotError(
          'redis-unavailable',
          `step ${step + 1} was applied but Redis failed before it was recorded; it is recorded next tick`,
        );
      }
      const next = await this.change(rollout.id, (r) =>
        transition(r, { type: 'step-applied', step, at: this.now(), revisionId: result.after.revisionId }),
      );
      if (next.state.phase === 'completed') await this.record(next, 'system', 'canary.complete', 'last step applied');
      await this.show(next, `Step ${step + 1} of ${plan.schedule.steps.length}: ${percent}% on v${plan.canary}.`);
    } catch (error) {
      if (error instanceof BotError && error.code === 'revision-conflict')
        return this.drifted(rollout, await this.deps.lambda.getAlias(target, plan.alias));
      throw error;
    }
  }

  private async waiting(rollout: Rollout, verdict: Verdict): Promise<void> {
    const next = rollout.waitingSince
      ? rollout
      : await this.change(rollout.id, (r) => ({
          ok: true,
          next: { ...r, waitingSince: this.now(), revision: r.revision + 1 },
          effect: { kind: 'none' },
        }));
    await this.progress.refresh(next, `Waiting for traffic: ${verdict.summary}.`);
  }

  private async marginal(rollout: Rollout, verdict: Verdict): Promise<void> {
    const reason = `judgement is marginal: ${verdict.summary}`;
    const next = await this.change(rollout.id, (r) =>
      transition(r, { type: 'pause', by: 'system', reason, at: this.now() }),
    );
    await this.record(next, 'system', 'canary.pause', reason);
    await this.show(next, `Paused: ${reason}.`);
    if (next.message) {
      const question = `The canary v${next.plan.canary} is not clearly worse nor clearly as good as v${next.plan.baseline}: ${verdict.summary}. Resume or abort?`;
      await this.deps.notifier
        .post(next.message.channel, { kind: 'rollout-question', rollout: next, question }, next.message.ts)
        .catch(() => {});
    }
  }

  private async drifted(rollout: Rollout, alias: AliasState): Promise<void> {
    const reason = `the alias was changed outside the rollout: expected ${describeRouting(currentRouting(rollout))}, found ${describeRouting(alias.routing)}`;
    const next = await this.change(rollout.id, (r) =>
      transition(r, { type: 'pause', by: 'system', reason, at: this.now() }),
    );
    await this.record(next, 'system', 'canary.pause', reason);
    await this.show(next, `Paused: ${reason}.`);
  }

  /** Reads, transitions and writes back until the write lands on the revision read. */
  async change(id: string, step: (r: Rollout) => RolloutTransition): Promise<Rollout> {
    const refusal = (r: Rollout, reason: string) => `the rollout of ${r.plan.fn}:${r.plan.alias} ${reason}`;
    return (await transact(this.deps.store, id, 'rollout', step, refusal)).next;
  }

  async record(rollout: Rollout, actor: string, action: AuditAction, detail: string): Promise<void> {
    const routing = snapshot(currentRouting(rollout));
    await this.deps.audit.append({
      actor,
      action,
      function: rollout.plan.fn,
      alias: rollout.plan.alias,
      ...this.placeOf(rollout.plan.fn),
      from: routing,
      to: rollout.pendingRoute ? snapshot(rollout.pendingRoute) : routing,
      result: 'ok',
      detail: `${detail}; rollout ${rollout.id}`,
      request: rollout.request,
    });
  }

  /** Posts the progress message (once) and remembers where. */
  async post(rollout: Rollout): Promise<Rollout> {
    const ref = await this.progress.post(rollout);
    return this.change(rollout.id, (r) => ({
      ok: true,
      next: { ...r, message: ref, revision: r.revision + 1 },
      effect: { kind: 'none' },
    }));
  }

  /** Updates the progress message in place with the latest figures. */
  show(rollout: Rollout, note?: string): Promise<void> {
    return this.progress.show(rollout, note);
  }

  /** The account and region of a rollout's function, for its records. */
  placeOf(fn: string): { readonly account?: string; readonly region?: string } {
    const target = this.deps.fleet.get(fn);
    return target ? recordedPlace(target) : {};
  }

  /** A rollout acts only on a function of the policy: one removed from it since is not touched. */
  private target(fn: string): Target {
    const target = this.deps.fleet.get(fn);
    if (!target)
      throw new BotError('not-permitted', `${fn} is no longer in the policy file, so the rollout stops here`);
    return target;
  }

  private readonly system = (rollout: Rollout) => ({ actor: 'system', request: rollout.request });

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
