import type { ApprovalEvent, ApprovalRequest } from '../domain/approval.js';
import { BotError } from '../domain/errors.js';
import { sameRouting, splitText } from '../domain/routing.js';
import { actingFor } from '../domain/target.js';
import type { AuditLog, Clock } from '../ports.js';
import type { ApprovalDeps } from './approvals.js';
import { aliasChanged } from './outcomes.js';

/**
 * The change, through the one alias write path, bound to the state the request showed: AWS
 * refuses it (412) if the alias moved since, and the request goes stale instead.
 */
export async function applyApproved(
  deps: Pick<ApprovalDeps, 'fleet' | 'lambda' | 'changer' | 'notifier' | 'clock' | 'audit'>,
  request: ApprovalRequest,
  rollouts: ((request: ApprovalRequest) => Promise<ApprovalEvent>) | undefined,
): Promise<ApprovalEvent> {
  const at = () => deps.clock.now().toISOString();
  const { change } = request;
  if (change.kind === 'rollout') {
    return rollouts
      ? rollouts(request)
      : { type: 'failed', at: at(), reason: 'rollouts are not set up on this replica' };
  }
  const approvers = request.approvals.map((a) => a.by).join(', ');
  const who = { actor: request.requester, request: request.request };
  const managed = deps.fleet.get(request.fn);
  if (!managed) return { type: 'failed', at: at(), reason: `${request.fn} is no longer in the policy file` };
  // An approved change is made as its requester: AWS's trail names the person who asked.
  const target = actingFor(managed, request.requester);
  try {
    const current = await deps.lambda.getAlias(target, request.alias);
    if (current.revisionId !== request.bound.revisionId && sameRouting(current.routing, change.to)) {
      // A replica that died after UpdateAlias but before recording it left the change made: its
      // intent is in the audit log under the request. Without one, another change (a break-glass,
      // a change outside the bot) got there first: this request did not make it.
      if (await madeByRequest(deps.audit, request)) return { type: 'applied', at: at() };
      return {
        type: 'stale',
        at: at(),
        reason: `the alias already serves this, changed by another request since (it is now ${splitText(current.routing)})`,
      };
    }
    const plan = {
      target,
      alias: request.alias,
      action: change.action,
      note: `approved by ${approvers} (approval ${request.id})`,
      bound: { fn: request.fn, alias: request.alias, ...request.bound, description: current.description },
      route: () => change.to,
    };
    const result = await retryWhileBusy(deps.clock, () => deps.changer.change(who, plan));
    const where = deps.fleet.where(target.place);
    const outcome = aliasChanged(who, change.action, target, request.alias, where, result);
    await deps.notifier.post(request.requestChannel, { kind: 'outcome', outcome }).catch(() => {});
    return { type: 'applied', at: at() };
  } catch (error) {
    const e = error instanceof BotError ? error : new BotError('internal', String(error));
    if (e.code === 'revision-conflict')
      return { type: 'stale', at: at(), reason: `the alias changed since the request: ${e.message}` };
    return { type: 'failed', at: at(), reason: e.message };
  }
}

/** Whether this request's own change reached the audit log (its intent, at least). */
async function madeByRequest(audit: AuditLog, request: ApprovalRequest): Promise<boolean> {
  if (request.change.kind !== 'routing') return false;
  const records = await audit.recent({
    fn: request.fn,
    alias: request.alias,
    actions: [request.change.action],
    limit: 20,
  });
  return records.some((r) => r.request === request.request && r.result !== 'denied');
}

/** Another change holding the alias lock finishes in seconds: an approval waits for it rather than fail. */
async function retryWhileBusy<T>(clock: Clock, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BotError && error.code === 'busy') || attempt >= 10) throw error;
      await clock.sleep(500);
    }
  }
}
