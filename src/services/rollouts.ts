import type { Click } from '../domain/actions.js';
import { type ApprovalEvent, type ApprovalRequest, describeEnd } from '../domain/approval.js';
import { describeBypasses } from '../domain/breakglass.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { AliasArg } from '../domain/grammar/values.js';
import { newId } from '../domain/ids.js';
import type { ApprovalRequested, Outcome, RolloutStarted } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import {
  isLive,
  planSummary,
  type Rollout,
  type RolloutEvent,
  type RolloutPlan,
  startProblem,
  transition,
} from '../domain/rollout.js';
import type { Schedule } from '../domain/schedule.js';
import type { AuditLog, Clock, LambdaGateway, Notifier, RolloutStore } from '../ports.js';
import type { ApprovalService } from './approvals.js';
import type { BreakGlassService } from './breakglass.js';
import type { PolicyGate, Who } from './gate.js';
import type { PromotionGates } from './promotion-gates.js';
import { refuseUnknownButton } from './refusals.js';
import { withGates } from './release.js';
import type { RolloutStepper } from './rollout-stepper.js';
import { snapshot } from './snapshots.js';
import { checkSameAccount } from './targets.js';

/** Watched alarms of an alias and their states, from the alarm sweep. */
export type AlarmLookup = (
  fn: string,
  alias: string,
) => Promise<readonly { readonly name: string; readonly state: string }[]>;

export interface RolloutRequest {
  readonly target: AliasArg;
  readonly version: string;
  readonly schedule: Schedule;
  readonly bakeMs: number;
  readonly judge: boolean;
  /** `--break-glass REASON…`: started at once, past approval, gates and freezes (CONTRACT §11). */
  readonly breakGlass?: string;
}

export interface RolloutDeps {
  readonly fleet: Fleet;
  readonly gate: PolicyGate;
  readonly lambda: LambdaGateway;
  readonly store: RolloutStore;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly alarms: AlarmLookup;
  readonly approvals: ApprovalService;
  readonly stepper: RolloutStepper;
  readonly gates: PromotionGates;
  readonly breakGlass: BreakGlassService;
}

type Control = 'pause' | 'resume' | 'abort' | 'promote';
const CONTROL_AUDIT = {
  pause: 'canary.pause',
  resume: 'canary.resume',
  abort: 'canary.abort',
  promote: 'canary.complete',
} as const;

/**
 * `canary`, `pause`, `resume`, `abort` and the rollout buttons. Planning checks everything that
 * can be known before traffic moves; the stepper (a job on one replica) moves it.
 */
export class RolloutService {
  constructor(private readonly deps: RolloutDeps) {}

  async start(who: Who, ask: RolloutRequest): Promise<RolloutStarted | ApprovalRequested> {
    const { gate, lambda, store, alarms, policy, clock, fleet } = this.deps;
    const resolved = fleet.resolve(ask.target);
    const target = { fn: resolved.fn, alias: ask.target.alias };
    const options = { breakGlass: ask.breakGlass !== undefined };
    const decision = await gate.check(who, 'canary', target, 'canary.start', resolved, options);
    const state = await lambda.getAlias(resolved, target.alias);
    checkSameAccount(ask.target, state.arn);
    const problem = startProblem(state.routing, ask.version);
    if (problem) throw new BotError('invalid-change', `${target.fn}:${target.alias} ${problem}`);
    const baseline = state.routing.primary;
    await lambda.getConfiguration(resolved, ask.version);
    const checks = await this.deps.gates.check(resolved, target.alias, ask.version);
    const glass =
      decision.effect === 'break-glass'
        ? { reason: ask.breakGlass as string, bypassed: withGates(decision.bypassed, checks) }
        : undefined;
    if (!glass) await this.deps.gates.refuseUnmet(who, resolved, target.alias, ask.version, 'canary.start', checks);
    const watched = await alarms(target.fn, target.alias);
    const thresholds = policy.functions.get(target.fn)?.aliases.get(target.alias)?.judge;
    const plan: RolloutPlan = {
      fn: target.fn,
      alias: target.alias,
      where: fleet.where(resolved.place),
      baseline,
      canary: ask.version,
      schedule: ask.schedule,
      bakeMs: ask.bakeMs,
      ...(ask.judge && thresholds ? { judge: thresholds } : {}),
      alarms: watched.map((a) => a.name),
    };
    const rollout: Rollout = {
      id: newId('o'),
      plan,
      state: { phase: 'planned' },
      startedBy: who.actor,
      request: who.request,
      createdAt: clock.now().toISOString(),
      expectedRevision: state.revisionId,
      applied: [],
      channel: who.channel ?? policy.channels.approvals,
      ...(glass ? { breakGlass: glass } : {}),
      revision: 1,
    };
    if (!(await store.create(rollout))) {
      throw new BotError(
        'busy',
        `${target.fn}:${target.alias} already has a rollout under way; abort it or wait for it to end`,
      );
    }
    const alarming = watched.filter((a) => a.state === 'ALARM').map((a) => a.name);
    if (decision.effect === 'needs-approval') {
      try {
        const summary = planSummary(plan);
        return await this.deps.approvals.requestRollout(who, rollout, state, summary, decision, 'canary', checks);
      } catch (error) {
        await this.endPlanned(rollout.id, 'its approval request could not be made').catch(() => {});
        throw error;
      }
    }
    let started = await this.begin(rollout.id, who.actor, []);
    if (glass) {
      const change = `canary to v${plan.canary} (${planSummary(plan)})`;
      const made = { target: resolved, alias: target.alias, action: 'canary' as const, change, ...glass };
      const record = await this.deps.breakGlass.announce(who, made);
      if (record) started = { ...started, breakGlass: { ...glass, id: record.id } };
    }
    const link = started.message ? await this.deps.notifier.permalink(started.message) : undefined;
    return {
      kind: 'rollout-started',
      fn: target.fn,
      where: fleet.where(resolved.place),
      alias: target.alias,
      summary: planSummary(plan),
      channel: started.channel,
      ...(link ? { link } : {}),
      alarming,
      ...(started.breakGlass ? { breakGlass: started.breakGlass } : {}),
    };
  }

  /** Starts a planned rollout (at once, or once approved), posting its progress message. */
  async begin(id: string, actor: string, approvedBy: readonly string[]): Promise<Rollout> {
    const { audit, clock, stepper } = this.deps;
    const started = await stepper.change(id, (r) =>
      transition(
        { ...r, ...(approvedBy.length ? { approvedBy } : {}) },
        { type: 'start', at: clock.now().toISOString() },
      ),
    );
    const { plan } = started;
    const glass = started.breakGlass;
    const broke = glass ? `; break-glass: ${glass.reason}; bypassed ${describeBypasses(glass.bypassed)}` : '';
    await audit.append({
      ...(glass ? { breakglass: true as const } : {}),
      actor,
      action: 'canary.start',
      function: plan.fn,
      alias: plan.alias,
      ...this.deps.stepper.placeOf(plan.fn),
      from: snapshot({ primary: plan.baseline }),
      to: snapshot({ primary: plan.canary }),
      result: 'ok',
      detail: `${planSummary(plan)}; rollout ${id}${approvedBy.length ? `; approved by ${approvedBy.join(', ')}` : ''}${broke}`,
      request: started.request,
    });
    return stepper.post(started);
  }

  /** The approval of a rollout (its start, or its resumption) came: carry it out. */
  async approved(request: ApprovalRequest): Promise<ApprovalEvent> {
    const at = this.deps.clock.now().toISOString();
    if (request.change.kind !== 'rollout') return { type: 'failed', at, reason: 'not a rollout request' };
    const approvers = request.approvals.map((a) => a.by);
    try {
      if (request.change.action === 'canary') {
        const alias = await this.deps.lambda.getAlias(this.deps.fleet.named(request.fn), request.alias);
        if (alias.revisionId !== request.bound.revisionId) {
          await this.deps.stepper.change(request.change.rollout, (r) =>
            transition(r, { type: 'abort', by: 'system', reason: 'the alias changed before approval', at }),
          );
          return { type: 'stale', at, reason: 'the alias changed since the request; the rollout was not started' };
        }
        await this.begin(request.change.rollout, request.requester, approvers);
      } else {
        await this.act(request.change.rollout, 'resume', request.requester, `approved by ${approvers.join(', ')}`);
      }
      return { type: 'applied', at };
    } catch (error) {
      return { type: 'failed', at, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The approval of a planned rollout ended without it (rejected, expired, stale, failed): it never starts. */
  async unapproved(request: ApprovalRequest): Promise<void> {
    if (request.change.kind !== 'rollout' || request.change.action !== 'canary') return;
    await this.endPlanned(request.change.rollout, `its approval request ended: ${describeEnd(request)}`);
  }

  /** Ends a rollout that has not started (nothing moved, so nothing to restore); one that started is left alone. */
  private async endPlanned(id: string, reason: string): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    await this.deps.stepper
      .change(id, (r) =>
        r.state.phase === 'planned'
          ? transition(r, { type: 'abort', by: 'system', reason, at })
          : { ok: false, reason: 'it has started or ended' },
      )
      .catch((error: unknown) => {
        if (!(error instanceof BotError && error.code === 'already-decided')) throw error;
      });
  }

  /** `pause|resume|abort FN:ALIAS`. */
  async control(who: Who, action: Exclude<Control, 'promote'>, ref: AliasArg): Promise<Outcome> {
    const target = { fn: this.deps.fleet.resolve(ref).fn, alias: ref.alias };
    const rollout = (await this.deps.store.live()).find(
      (r) => r.plan.fn === target.fn && r.plan.alias === target.alias && isLive(r.state),
    );
    if (!rollout) throw new BotError('invalid-change', `${target.fn}:${target.alias} has no rollout under way`);
    return this.permitted(who, rollout, action);
  }

  /** The rollout buttons; the value is the rollout's ID. */
  async click(click: Click, action: Control): Promise<Outcome> {
    const found = /^o[a-z2-9]{16}$/.test(click.value) ? await this.deps.store.get(click.value) : undefined;
    const rollout = found ?? (await refuseUnknownButton(this.deps.audit, click, 'rollout'));
    return this.permitted({ actor: click.actor, request: click.requestId }, rollout, action);
  }

  private async permitted(who: Who, rollout: Rollout, action: Control): Promise<Outcome> {
    const { plan } = rollout;
    const target = this.deps.fleet.named(plan.fn);
    const decision = await this.deps.gate.check(
      who,
      action,
      { fn: plan.fn, alias: plan.alias },
      CONTROL_AUDIT[action],
      target,
    );
    if (decision.effect === 'needs-approval') {
      if (action === 'resume') {
        const state = await this.deps.lambda.getAlias(target, plan.alias);
        return this.deps.approvals.requestRollout(
          who,
          rollout,
          state,
          `resume: ${planSummary(plan)}`,
          decision,
          'resume',
        );
      }
      throw new BotError(
        'not-permitted',
        `${plan.fn}:${plan.alias} is protected: finishing a rollout early needs approval; ask with /lambda promote ${plan.fn}:${plan.alias} ${plan.canary}`,
      );
    }
    await this.act(rollout.id, action, who.actor, `${action} by ${who.actor}`);
    return {
      kind: 'note',
      text: `Rollout of ${plan.fn}:${plan.alias} ${action === 'promote' ? 'promoted' : `${action}d`}.`,
    };
  }

  private async act(id: string, action: Control, actor: string, reason: string): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    const event: RolloutEvent =
      action === 'pause' || action === 'abort'
        ? { type: action, by: actor, reason, at }
        : action === 'resume'
          ? { type: 'resume', by: actor, at }
          : { type: 'promote', by: actor, at };
    const next = await this.deps.stepper.change(id, (r) => transition(r, event));
    await this.deps.stepper.record(next, actor, CONTROL_AUDIT[action], reason);
    await this.deps.stepper.settle(next);
  }
}
