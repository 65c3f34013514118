import type { Click } from '../domain/actions.js';
import {
  type ApprovalEvent,
  type ApprovalRequest,
  describeEnd,
  type Effect,
  type RequestedChange,
  type Transition,
  transition,
} from '../domain/approval.js';
import type { AuditAction, Snapshot } from '../domain/audit.js';
import { diffVersions } from '../domain/diff.js';
import { BotError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { ApprovalRequested, Outcome } from '../domain/outcome.js';
import type { Decision } from '../domain/policy.js';
import type { Policy } from '../domain/policy-model.js';
import type { Rollout } from '../domain/rollout.js';
import { label, type Routing, sameRouting, single } from '../domain/routing.js';
import type { AliasState, ApprovalStore, AuditLog, Clock, LambdaGateway, Notifier } from '../ports.js';
import type { AliasChanger } from './alias-change.js';
import type { PolicyGate, Who } from './gate.js';
import { aliasChanged } from './outcomes.js';
import { snapshot } from './snapshots.js';

export interface ApprovalDeps {
  readonly store: ApprovalStore;
  readonly changer: AliasChanger;
  readonly gate: PolicyGate;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
}

/** What a requester asks for on a protected alias. */
export interface Ask {
  readonly fn: string;
  readonly alias: string;
  readonly action: 'promote' | 'shift';
  readonly version: string;
  /** The routing wanted, from the alias as it is now; throws BotError when the change makes no sense. */
  readonly plan: (current: AliasState) => Routing;
}

type NeedsApproval = Extract<Decision, { effect: 'needs-approval' }>;

/**
 * Four-eyes approval of changes to protected aliases: requests bound to the alias state they
 * show, decided by clicks on any replica, applied exactly once, expired by a sweeper.
 */
export class ApprovalService {
  constructor(private readonly deps: ApprovalDeps) {}

  async request(who: Who, ask: Ask, decision: NeedsApproval): Promise<ApprovalRequested> {
    const state = await this.deps.lambda.getAlias(ask.fn, ask.alias);
    const to = ask.plan(state);
    return this.open(
      who,
      state,
      { kind: 'routing', action: ask.action, to, version: ask.version },
      snapshot(to),
      decision,
    );
  }

  /** A rollout on a protected alias (or its resumption): the plan is what gets approved. */
  async requestRollout(
    who: Who,
    rollout: Rollout,
    state: AliasState,
    summary: string,
    decision: NeedsApproval,
    action: 'canary' | 'resume' = 'canary',
  ): Promise<ApprovalRequested> {
    const change = { kind: 'rollout' as const, action, rollout: rollout.id, summary, version: rollout.plan.canary };
    return this.open(who, state, change, snapshot(single(rollout.plan.canary)), decision);
  }

  /** Who carries out an approved rollout request (set once by the composition root). */
  handleRollouts(handler: (request: ApprovalRequest) => Promise<ApprovalEvent>): void {
    this.rollouts = handler;
  }

  private rollouts?: (request: ApprovalRequest) => Promise<ApprovalEvent>;

  /** Creates, audits and posts a request bound to `state`; abandons it if it cannot be posted. */
  private async open(
    who: Who,
    state: AliasState,
    change: RequestedChange,
    to: Snapshot,
    decision: NeedsApproval,
  ): Promise<ApprovalRequested> {
    const { lambda, store, audit, notifier, clock, policy } = this.deps;
    const { fn, alias } = state;
    const [wanted, current] = await Promise.all([
      lambda.getConfiguration(fn, change.version),
      state.routing.primary === change.version
        ? undefined
        : lambda.getConfiguration(fn, state.routing.primary).catch(() => undefined),
    ]);
    const now = clock.now();
    const channel = policy.functions.get(fn)?.aliases.get(alias)?.approvalsChannel ?? policy.channels.approvals;
    const request: ApprovalRequest = {
      id: newId('a'),
      fn,
      alias,
      change,
      requester: who.actor,
      request: who.request,
      requestChannel: who.channel ?? channel,
      bound: { routing: state.routing, revisionId: state.revisionId, arn: state.arn },
      version: { description: wanted.description, codeSha256: wanted.codeSha256 },
      ...(current ? { diff: diffVersions(current, wanted) } : {}),
      requiredApprovals: decision.approvals,
      approverRoles: decision.approvers,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + policy.approvalTtlMs).toISOString(),
      status: 'pending',
      approvals: [],
      channel,
      revision: 1,
    };
    await store.create(request);
    await audit.append({
      ...this.base(request, who.actor, 'approval.request'),
      from: snapshot(state.routing),
      to,
      result: 'ok',
      detail: `${change.action} to ${label(change.version)}: needs ${decision.approvals} approval(s) by ${decision.approvers.join(' or ')}; expires ${request.expiresAt}; approval ${request.id}`,
    });
    let posted: ApprovalRequest;
    try {
      const message = await notifier.post(channel, { kind: 'approval', request });
      posted = await this.update(request.id, (r) => ({
        ok: true,
        next: { ...r, message, revision: r.revision + 1 },
        effect: 'recorded',
      }));
    } catch (error) {
      const reason = 'the request could not be posted to Slack';
      await this.update(request.id, (r) =>
        transition(r, { type: 'abandon', at: clock.now().toISOString(), reason }),
      ).catch(() => {});
      throw error;
    }
    const link = posted.message ? await notifier.permalink(posted.message) : undefined;
    return {
      kind: 'approval-requested',
      fn,
      alias,
      action: change.action,
      version: change.version,
      id: request.id,
      channel,
      ...(link ? { link } : {}),
      expiresAt: request.expiresAt,
      requiredApprovals: decision.approvals,
      approverRoles: decision.approvers,
    };
  }

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

  /** Applies an approved request and records how it ended. */
  private async finish(approved: ApprovalRequest): Promise<ApprovalRequest> {
    const event = await this.apply(approved);
    const ended = await this.update(approved.id, (r) => transition(r, event));
    await this.show(ended);
    return ended;
  }

  /**
   * The change, through the one alias write path, bound to the state the request showed: AWS
   * refuses it (412) if the alias moved since, and the request goes stale instead.
   */
  private async apply(request: ApprovalRequest): Promise<ApprovalEvent> {
    const at = () => this.now();
    const { change } = request;
    if (change.kind === 'rollout') {
      return this.rollouts
        ? this.rollouts(request)
        : { type: 'failed', at: at(), reason: 'rollouts are not set up on this replica' };
    }
    const approvers = request.approvals.map((a) => a.by).join(', ');
    const who = { actor: request.requester, request: request.request };
    try {
      const current = await this.deps.lambda.getAlias(request.fn, request.alias);
      // A replica that died after UpdateAlias but before recording it left the change made.
      if (current.revisionId !== request.bound.revisionId && sameRouting(current.routing, change.to))
        return { type: 'applied', at: at() };
      const plan = {
        fn: request.fn,
        alias: request.alias,
        action: change.action,
        note: `approved by ${approvers} (approval ${request.id})`,
        bound: { fn: request.fn, alias: request.alias, ...request.bound, description: current.description },
        target: () => change.to,
      };
      const result = await this.retryWhileBusy(() => this.deps.changer.change(who, plan));
      const outcome = aliasChanged(who, change.action, request, result);
      await this.deps.notifier.post(request.requestChannel, { kind: 'outcome', outcome }).catch(() => {});
      return { type: 'applied', at: at() };
    } catch (error) {
      const e = error instanceof BotError ? error : new BotError('internal', String(error));
      if (e.code === 'revision-conflict')
        return { type: 'stale', at: at(), reason: `the alias changed since the request: ${e.message}` };
      return { type: 'failed', at: at(), reason: e.message };
    }
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
    return result;
  }

  /** Another change holding the alias lock finishes in seconds: an approval waits for it rather than fail. */
  private async retryWhileBusy<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof BotError && error.code === 'busy') || attempt >= 10) throw error;
        await this.deps.clock.sleep(500);
      }
    }
  }

  /** Reads, transitions and writes back until the write lands on the revision read. */
  private async transact(
    id: string,
    step: (r: ApprovalRequest) => Transition,
  ): Promise<{ next: ApprovalRequest; effect: Effect }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await this.deps.store.get(id);
      if (!current) throw new BotError('unknown-button', `no approval request ${id}`);
      const t = step(current);
      if (!t.ok) throw new BotError('already-decided', t.reason);
      if (await this.deps.store.replace(current, t.next)) return { next: t.next, effect: t.effect };
    }
    throw new BotError('busy', 'too many people are deciding this request at once; try again');
  }

  private async update(id: string, step: (r: ApprovalRequest) => Transition): Promise<ApprovalRequest> {
    return (await this.transact(id, step)).next;
  }

  private async find(click: Click): Promise<ApprovalRequest> {
    const found = /^a[a-z2-9]{16}$/.test(click.value) ? await this.deps.store.get(click.value) : undefined;
    if (found) return found;
    await this.deps.audit.append({
      actor: click.actor,
      action: 'denied',
      function: null,
      alias: null,
      from: null,
      to: null,
      result: 'denied',
      detail: `${click.action} with an unknown request ID`,
      request: click.requestId,
    });
    throw new BotError('unknown-button', 'no such approval request');
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
  }

  /** Updates the request's message in place; a failed update is not worth failing the decision for. */
  private async show(request: ApprovalRequest): Promise<void> {
    if (request.message)
      await this.deps.notifier.update(request.message, { kind: 'approval', request }).catch(() => {});
  }

  private base(request: ApprovalRequest, actor: string, action: AuditAction) {
    return { actor, action, function: request.fn, alias: request.alias, request: request.request };
  }

  private target(request: ApprovalRequest) {
    return request.change.kind === 'routing' ? snapshot(request.change.to) : null;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
