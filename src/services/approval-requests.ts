import { type ApprovalRequest, type RequestedChange, type Transition, transition } from '../domain/approval.js';
import type { Snapshot } from '../domain/audit.js';
import { diffVersions } from '../domain/diff.js';
import type { GateCheck } from '../domain/gates.js';
import { newId } from '../domain/ids.js';
import type { ApprovalRequested } from '../domain/outcome.js';
import type { Decision } from '../domain/policy.js';
import { label } from '../domain/routing.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AliasState } from '../ports.js';
import type { ApprovalDeps } from './approvals.js';
import { transact } from './cas.js';
import type { Who } from './gate.js';
import { snapshot } from './snapshots.js';

export type NeedsApproval = Extract<Decision, { effect: 'needs-approval' }>;

/**
 * Creates, audits and posts an approval request bound to `state` (the alias as the approvers will
 * see it); abandons it if it cannot be posted, so that no request waits unseen.
 */
export async function openRequest(
  deps: ApprovalDeps,
  who: Who,
  target: Target,
  state: AliasState,
  change: RequestedChange,
  to: Snapshot,
  decision: NeedsApproval,
  checks?: readonly GateCheck[],
): Promise<ApprovalRequested> {
  const { lambda, store, audit, notifier, clock, policy } = deps;
  const { fn, alias } = state;
  const [wanted, current] = await Promise.all([
    lambda.getConfiguration(target, change.version),
    state.routing.primary === change.version
      ? undefined
      : lambda.getConfiguration(target, state.routing.primary).catch(() => undefined),
  ]);
  const now = clock.now();
  const channel = policy.functions.get(fn)?.aliases.get(alias)?.approvalsChannel ?? policy.channels.approvals;
  const request: ApprovalRequest = {
    id: newId('a'),
    fn,
    alias,
    where: deps.fleet.where(target.place),
    change,
    requester: who.actor,
    request: who.request,
    requestChannel: who.channel ?? channel,
    bound: { routing: state.routing, revisionId: state.revisionId, arn: state.arn },
    version: { description: wanted.description, codeSha256: wanted.codeSha256 },
    ...(current ? { diff: diffVersions(current, wanted) } : {}),
    ...(checks ? { gates: checks } : {}),
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
    actor: who.actor,
    action: 'approval.request',
    function: fn,
    alias,
    request: who.request,
    from: snapshot(state.routing),
    to,
    result: 'ok',
    ...recordedPlace(target),
    detail: `${change.action} to ${label(change.version)}: needs ${decision.approvals} approval(s) by ${decision.approvers.join(' or ')}; expires ${request.expiresAt}; approval ${request.id}`,
  });
  let posted: ApprovalRequest;
  try {
    const message = await notifier.post(channel, { kind: 'approval', request });
    posted = (
      await transact(
        store,
        request.id,
        'approval request',
        (r): Transition => ({
          ok: true,
          next: { ...r, message, revision: r.revision + 1 },
          effect: 'recorded',
        }),
      )
    ).next;
  } catch (error) {
    const reason = 'the request could not be posted to Slack';
    await transact(store, request.id, 'approval request', (r) =>
      transition(r, { type: 'abandon', at: clock.now().toISOString(), reason }),
    ).catch(() => {});
    throw error;
  }
  const link = posted.message ? await notifier.permalink(posted.message) : undefined;
  return {
    kind: 'approval-requested',
    fn,
    where: deps.fleet.where(target.place),
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
