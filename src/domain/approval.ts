/**
 * Approval requests for changes to protected aliases, as a pure state machine:
 *
 *   pending ──approve (last needed)──▶ approved ──▶ applied | failed | stale
 *      │ ╰─approve (more needed)─▶ pending
 *      ├──reject──▶ rejected
 *      ├──expire──▶ expired        (also when an approve or reject arrives after the deadline)
 *      ╰──abandon─▶ failed         (the request could not even be posted)
 *
 * A request is bound to the alias state it showed (its RevisionId): `stale` is the outcome when
 * the alias moved before the last approval came, so nothing is ever applied to another state.
 */
import type { AuditAction } from './audit.js';
import type { VersionDiff } from './diff.js';
import type { GateCheck } from './gates.js';
import type { Routing } from './routing.js';
import type { Where } from './target.js';

export type ApprovalStatus = 'pending' | 'approved' | 'applied' | 'failed' | 'rejected' | 'expired' | 'stale';

/** What was asked for: a new routing now (promote, shift), or a rollout plan (canary, resume). */
export type RequestedChange =
  | { readonly kind: 'routing'; readonly action: 'promote' | 'shift'; readonly to: Routing; readonly version: string }
  | {
      readonly kind: 'rollout';
      readonly action: 'canary' | 'resume';
      readonly rollout: string;
      readonly summary: string;
      readonly version: string;
    };

export interface Decision {
  readonly by: string;
  readonly at: string;
}

export interface ApprovalRequest {
  readonly id: string;
  readonly fn: string;
  readonly alias: string;
  /** The function's account and region, shown to approvers (absent on requests made before accounts). */
  readonly where?: Where;
  readonly change: RequestedChange;
  readonly requester: string;
  /** The request ID of the command that asked: the audit records of the whole story share it. */
  readonly request: string;
  /** Where the requester asked, for the announcement once applied. */
  readonly requestChannel: string;
  /** The alias as shown in the request; the change applies only to exactly this state. */
  readonly bound: { readonly routing: Routing; readonly revisionId: string; readonly arn: string };
  /** The requested version's facts, shown to approvers. */
  readonly version: { readonly description: string; readonly codeSha256: string };
  readonly diff?: VersionDiff;
  /** The alias's promotion gates as checked when the request was made (all met, or it would not exist). */
  readonly gates?: readonly GateCheck[];
  /** The same gates checked again when the last approval came (CONTRACT §11). */
  readonly gatesAtApproval?: readonly GateCheck[];
  readonly requiredApprovals: number;
  readonly approverRoles: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly status: ApprovalStatus;
  readonly approvals: readonly Decision[];
  readonly rejectedBy?: Decision;
  /** Why it ended as it did (stale, failed), or the rejection's reason. */
  readonly note?: string;
  readonly endedAt?: string;
  readonly channel: string;
  readonly message?: { readonly channel: string; readonly ts: string };
  /** Bumped on every change: stores replace a request only if nobody changed it meanwhile. */
  readonly revision: number;
}

export type ApprovalEvent =
  | { readonly type: 'approve'; readonly by: string; readonly at: string }
  | { readonly type: 'reject'; readonly by: string; readonly at: string; readonly reason?: string }
  | { readonly type: 'expire'; readonly at: string }
  | { readonly type: 'applied'; readonly at: string }
  | { readonly type: 'failed'; readonly at: string; readonly reason: string }
  | { readonly type: 'stale'; readonly at: string; readonly reason: string }
  | { readonly type: 'abandon'; readonly at: string; readonly reason: string };

/**
 * `apply`: this event made the request approved, so the caller must apply the change (exactly one
 * caller ever gets it). `expired`: the deadline had passed; the event is refused but the request
 * is now expired. `recorded`: the event was taken.
 */
export type Effect = 'apply' | 'expired' | 'recorded';

export type Transition =
  | { readonly ok: true; readonly next: ApprovalRequest; readonly effect: Effect; readonly audit?: AuditAction }
  | { readonly ok: false; readonly reason: string };

/**
 * The next state of a request after an event, or why the event is refused.
 * @example transition(pending, { type: 'approve', by: 'U0BOB', at }) → { ok: true, effect: 'apply', next: { status: 'approved', … } }
 */
export function transition(request: ApprovalRequest, event: ApprovalEvent): Transition {
  const bump = (patch: Partial<ApprovalRequest>): ApprovalRequest => ({
    ...request,
    ...patch,
    revision: request.revision + 1,
  });
  switch (event.type) {
    case 'approve':
    case 'reject':
    case 'expire': {
      if (request.status !== 'pending') return { ok: false, reason: describeEnd(request) };
      if (event.at >= request.expiresAt) {
        return {
          ok: true,
          next: bump({ status: 'expired', endedAt: event.at }),
          effect: 'expired',
          audit: 'approval.expire',
        };
      }
      if (event.type === 'expire') return { ok: false, reason: `it does not expire before ${request.expiresAt}` };
      if (event.type === 'reject') {
        return {
          ok: true,
          next: bump({
            status: 'rejected',
            rejectedBy: { by: event.by, at: event.at },
            endedAt: event.at,
            ...(event.reason ? { note: event.reason } : {}),
          }),
          effect: 'recorded',
          audit: 'approval.reject',
        };
      }
      if (event.by === request.requester)
        return { ok: false, reason: 'you asked for this change, so someone else must approve it' };
      if (request.approvals.some((a) => a.by === event.by)) {
        return {
          ok: false,
          reason: `you already approved; it needs ${request.requiredApprovals - request.approvals.length} more`,
        };
      }
      const approvals = [...request.approvals, { by: event.by, at: event.at }];
      const complete = approvals.length >= request.requiredApprovals;
      return {
        ok: true,
        next: bump({ approvals, status: complete ? 'approved' : 'pending' }),
        effect: complete ? 'apply' : 'recorded',
        audit: 'approval.approve',
      };
    }
    case 'applied':
    case 'failed':
    case 'stale': {
      if (request.status !== 'approved') return { ok: false, reason: describeEnd(request) };
      const status = event.type === 'applied' ? 'applied' : event.type;
      return {
        ok: true,
        next: bump({ status, endedAt: event.at, ...('reason' in event ? { note: event.reason } : {}) }),
        effect: 'recorded',
      };
    }
    case 'abandon':
      if (request.status !== 'pending') return { ok: false, reason: describeEnd(request) };
      return { ok: true, next: bump({ status: 'failed', endedAt: event.at, note: event.reason }), effect: 'recorded' };
  }
}

/** Why a request takes no more decisions, in words for the person who clicked. */
export function describeEnd(request: ApprovalRequest): string {
  switch (request.status) {
    case 'pending':
      return 'it is still waiting for approval';
    case 'approved':
      return 'it is approved and being applied';
    case 'applied':
      return 'it was already approved and applied';
    case 'failed':
      return `it failed${request.note ? `: ${request.note}` : ''}`;
    case 'rejected':
      return 'it was already rejected';
    case 'expired':
      return `it expired at ${request.expiresAt}`;
    case 'stale':
      return `it went stale${request.note ? `: ${request.note}` : ''}`;
  }
}

/** Still waiting for decisions (and not past its deadline at `now`). */
export function isOpen(request: ApprovalRequest, now: string): boolean {
  return request.status === 'pending' && now < request.expiresAt;
}
