import type { Click } from '../domain/actions.js';
import {
  type ApprovalEvent,
  type ApprovalRequest,
  describeEnd,
  type Effect,
  type Transition,
  transition,
} from '../domain/approval.js';
import type { AuditAction } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import { allMet, type GateCheck } from '../domain/gates.js';
import type { ApprovalRequested, Outcome } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import type { Rollout } from '../domain/rollout.js';
import { type Routing, single } from '../domain/routing.js';
import { asBot, recordedPlace, type Target } from '../domain/target.js';
import type { AliasState, ApprovalStore, AuditLog, Clock, LambdaGateway, Notifier } from '../ports.js';
import type { AliasChanger } from './alias-change.js';
import { applyApproved } from './approval-apply.js';
import { type NeedsApproval, openRequest } from './approval-requests.js';
import { transact } from './cas.js';
import type { PolicyGate, Who } from './gate.js';
import type { PromotionGates } from './promotion-gates.js';
import { refuseUnknownButton } from './refusals.js';
import { snapshot } from './snapshots.js';

export interface ApprovalDeps {
  readonly fleet: Fleet;
  readonly store: ApprovalStore;
  readonly changer: AliasChanger;
  readonly gate: PolicyGate;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
  /** The alias's promotion gates, checked again when the last approval comes. */
  readonly gates: PromotionGates;
}

/** What a requester asks for on a protected alias. */
export interface Ask {
  readonly target: Target;
  readonly alias: string;
  readonly action: 'promote' | 'shift';
  readonly version: string;
  /** The routing wanted, from the alias as it is now; throws BotError when the change makes no sense. */
  readonly plan: (current: AliasState) => Routing;
  /** The gate checklist, when the alias has gates: shown to approvers and checked again at the last approval. */
  readonly checks?: readonly GateCheck[];
}

/**
 * Four-eyes approval of changes to protected aliases: requests bound to the alias state they
 * show, decided by clicks on any replica, applied exactly once, expired by a sweeper.
 */
export class ApprovalService {
  constructor(private readonly deps: ApprovalDeps) {}

  async request(who: Who, ask: Ask, decision: NeedsApproval): Promise<ApprovalRequested> {
    const target = asBot(ask.target);
    const state = await this.deps.lambda.getAlias(target, ask.alias);
    const to = ask.plan(state);
    const change = { kind: 'routing' as const, action: ask.action, to, version: ask.version };
    return openRequest(this.deps, who, target, state, change, snapshot(to), decision, ask.checks);
  }

  /** A rollout on a protected alias (or its resumption): the plan is what gets approved. */
  async requestRollout(
    who: Who,
    rollout: Rollout,
    state: AliasState,
    summary: string,
    decision: NeedsApproval,
    action: 'canary' | 'resume' = 'canary',
    checks?: readonly GateCheck[],
  ): Promise<ApprovalRequested> {
    const change = { kind: 'rollout' as const, action, rollout: rollout.id, summary, version: rollout.plan.canary };
    const target = this.deps.fleet.named(rollout.plan.fn);
    const to = snapshot(single(rollout.plan.canary));
    return openRequest(this.deps, who, target, state, change, to, decision, checks);
  }

  /**
   * Who carries out an approved rollout request, and who ends the planned rollout of a request
   * that ended without being applied (set once by the composition root).
   */
  handleRollouts(
    approved: (request: ApprovalRequest) => Promise<ApprovalEvent>,
    unapproved: (request: ApprovalRequest) => Promise<void>,
  ): void {
    this.rollouts = approved;
    this.unapproved = unapproved;
  }

  private rollouts?: (request: ApprovalRequest) => Promise<ApprovalEvent>;
  private unapproved?: (request: ApprovalRequest) => Promise<void>;

  /** `approval.approve`: the last approval needed applies the change, exactly once across replicas. */
  async approve(click: Click): Promise<Outcome> {
    const found = await this.find(click);
    await this.deps.gate.check({ actor: click.actor, request: found.request }, 'approve', found, 'approval.approve');
    const event: ApprovalEvent = { type: 'approve', by: click.actor, at: this.now() };
    const { next, effect } = await this.decide(found, click, event, 'approval.approve');
    if (effect !== 'apply') {
      const missing = next.requiredApprovals - next.approvals.length;
      return { kind: 'note', text: `You approved. It needs ${missing} more approval${missing === 1 ? '' : 's'}.` };
    }
    const ended = await this.finish(next);
    return {
      kind: 'note',
      text: `You approved: ${ended.status === 'applied' ? 'the change is applied' : describeEnd(ended)}.`,
    };
  }

  /** `approval.reject`: any approver may reject; the requester may withdraw their own request. */
  async reject(click: Click): Promise<Outcome> {
    const found = await this.find(click);
    if (click.actor !== found.requester) {
      await this.deps.gate.check({ actor: click.actor, request: found.request }, 'approve', found, 'approval.reject');
    }
    await this.decide(found, click, { type: 'reject', by: click.actor, at: this.now() }, 'approval.reject');
    return {
      kind: 'note',
      text: click.actor === found.requester ? 'You withdrew your request.' : 'You rejected the request.',
    };
  }

  /**
   * The sweeper's work: expire requests past their deadline, and finish requests left approved
   * by a replica that died before applying them. `stillLeader` guards every effect.
   */
  async sweep(stillLeader: () => Promise<boolean>): Promise<void> {
    const now = this.now();
    for (const request of await this.deps.store.open()) {
      if (!(await stillLeader())) return;
      if (request.status === 'pending' && request.expiresAt <= now) {
        const t = await this.update(request.id, (r) => transition(r, { type: 'expire', at: now })).catch(
          () => undefined,
        );
        if (t) await this.ended(t, 'system', 'approval.expire', `expired at ${t.expiresAt}`);
      } else if (
        request.status === 'approved' &&
        Date.parse(now) - Date.parse(request.approvals.at(-1)?.at ?? now) > 120_000
      ) {
        await this.finish(request);
      }
    }
  }

  /**
   * Applies an approved request and records how it ended. A request with gates has them checked
   * again first: a version that no longer passes (an alarm during the soak, staging moved on) is
   * not applied, and the request says which gate changed.
   */
  private async finish(approved: ApprovalRequest): Promise<ApprovalRequest> {
    const checked = approved.gates ? await this.recheck(approved) : { request: approved };
    const event: ApprovalEvent = checked.reason
      ? { type: 'failed', at: this.now(), reason: checked.reason }
      : await applyApproved(this.deps, checked.request, this.rollouts);
    const ended = await this.update(approved.id, (r) => transition(r, event));
    await this.show(ended);
    if (ended.status !== 'applied') await this.unstarted(ended);
    return ended;
  }

  /** The gates checked again, kept on the request; `reason` when one is no longer met. */
  private async recheck(request: ApprovalRequest): Promise<{ request: ApprovalRequest; reason?: string }> {
    const target = this.deps.fleet.get(request.fn);
    if (!target) return { request };
    let checks: GateCheck[] | undefined;
    try {
      checks = await this.deps.gates.check(target, request.alias, request.change.version);
    } catch (error) {
      return { request, reason: `the gates could not be checked again: ${(error as Error).message}` };
    }
    if (!checks) return { request };
    const kept = checks;
    const next = await this.update(request.id, (r) => ({
      ok: true,
      next: { ...r, gatesAtApproval: kept, revision: r.revision + 1 },
      effect: 'recorded',
    }));
    if (allMet(checks)) return { request: next };
    const unmet = checks.filter((c) => !c.met).map((c) => c.fact);
    return { request: next, reason: `the gates are no longer met: ${unmet.join('; ')}` };
  }

  private async decide(found: ApprovalRequest, click: Click, event: ApprovalEvent, action: AuditAction) {
    let result: { next: ApprovalRequest; effect: Effect };
    try {
      result = await this.transact(found.id, (r) => transition(r, event));
    } catch (error) {
      if (!(error instanceof BotError && error.code === 'already-decided')) throw error;
      // A refused click is a decision attempt too: it goes on the record.
      await this.deps.audit.append({
        ...this.base(found, click.actor, action),
        from: null,
        to: null,
        result: 'denied',
        detail: error.message,
      });
      throw new BotError('already-decided', `Your click changed nothing: ${error.message}`);
    }
    const { next, effect } = result;
    if (effect === 'expired') {
      await this.ended(next, 'system', 'approval.expire', `expired at ${next.expiresAt}`);
      const refusal = `Your click changed nothing: ${describeEnd(next)}`;
      await this.deps.audit.append({
        ...this.base(next, click.actor, action),
        from: null,
        to: null,
        result: 'denied',
        detail: refusal,
      });
      throw new BotError('already-decided', refusal);
    }
    const detail =
      action === 'approval.approve'
        ? `approval ${next.approvals.length} of ${next.requiredApprovals}`
        : (next.note ?? 'rejected');
    await this.deps.audit.append({
      ...this.base(next, click.actor, action),
      from: snapshot(next.bound.routing),
      to: this.target(next),
      result: 'ok',
      detail,
    });
    await this.show(next);
    if (next.status === 'rejected') await this.unstarted(next);
    return result;
  }

  /** Reads, transitions and writes back until the write lands on the revision read. */
  private transact(
    id: string,
    step: (r: ApprovalRequest) => Transition,
  ): Promise<{ next: ApprovalRequest; effect: Effect }> {
    return transact(this.deps.store, id, 'approval request', step);
  }

  private async update(id: string, step: (r: ApprovalRequest) => Transition): Promise<ApprovalRequest> {
    return (await this.transact(id, step)).next;
  }

  private async find(click: Click): Promise<ApprovalRequest> {
    const found = /^a[a-z2-9]{16}$/.test(click.value) ? await this.deps.store.get(click.value) : undefined;
    return found ?? refuseUnknownButton(this.deps.audit, click, 'approval request');
  }

  private async ended(request: ApprovalRequest, actor: string, action: AuditAction, detail: string): Promise<void> {
    await this.deps.audit.append({
      ...this.base(request, actor, action),
      from: snapshot(request.bound.routing),
      to: this.target(request),
      result: 'ok',
      detail,
    });
    await this.show(request);
    await this.unstarted(request);
  }

  /** A canary's request ended without being applied: its planned rollout must not hold the alias forever. */
  private async unstarted(request: ApprovalRequest): Promise<void> {
    if (request.change.kind !== 'rollout' || request.change.action !== 'canary') return;
    // The decision stands whatever happens here; a rollout that could not be ended stays planned
    // (and refuses a new canary on the alias, saying so) rather than failing the click that decided.
    await this.unapproved?.(request).catch(() => {});
  }

  /** Updates the request's message in place; a failed update is not worth failing the decision for. */
  private async show(request: ApprovalRequest): Promise<void> {
    if (request.message)
      await this.deps.notifier.update(request.message, { kind: 'approval', request }).catch(() => {});
  }

  private base(request: ApprovalRequest, actor: string, action: AuditAction) {
    const target = this.deps.fleet.get(request.fn);
    return {
      actor,
      action,
      function: request.fn,
      alias: request.alias,
      request: request.request,
      ...(target ? recordedPlace(target) : {}),
    };
  }

  private target(request: ApprovalRequest) {
    return request.change.kind === 'routing' ? snapshot(request.change.to) : null;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
