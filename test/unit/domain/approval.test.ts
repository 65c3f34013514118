import { describe, expect, it } from 'vitest';
import { type ApprovalEvent, type ApprovalRequest, transition } from '../../../src/domain/approval.js';
import { sampleRequest } from '../../contract/ports/approvals.case.js';

const before = '2026-11-26T12:10:00.000Z';
const after = '2026-11-26T12:31:00.000Z';
const pending = sampleRequest('a1');
const twoNeeded = sampleRequest('a2', { requiredApprovals: 2 });
const approved: ApprovalRequest = { ...pending, status: 'approved', approvals: [{ by: 'U0BOB', at: before }] };

type Row = [string, ApprovalRequest, ApprovalEvent, string | { status: string; effect: string }];
const rows: Row[] = [
  [
    'the only approval needed approves and asks to apply',
    pending,
    { type: 'approve', by: 'U0BOB', at: before },
    { status: 'approved', effect: 'apply' },
  ],
  [
    'one of two approvals keeps it pending',
    twoNeeded,
    { type: 'approve', by: 'U0BOB', at: before },
    { status: 'pending', effect: 'recorded' },
  ],
  [
    'the requester may not approve',
    pending,
    { type: 'approve', by: 'U0ALICE', at: before },
    'someone else must approve',
  ],
  [
    'the same approver twice counts once',
    { ...twoNeeded, approvals: [{ by: 'U0BOB', at: before }] },
    { type: 'approve', by: 'U0BOB', at: before },
    'already approved',
  ],
  [
    'a second distinct approver completes two',
    { ...twoNeeded, approvals: [{ by: 'U0BOB', at: before }] },
    { type: 'approve', by: 'U0CAROL', at: before },
    { status: 'approved', effect: 'apply' },
  ],
  [
    'an approval after the deadline expires it instead',
    pending,
    { type: 'approve', by: 'U0BOB', at: after },
    { status: 'expired', effect: 'expired' },
  ],
  [
    'a reject ends it',
    pending,
    { type: 'reject', by: 'U0BOB', at: before },
    { status: 'rejected', effect: 'recorded' },
  ],
  [
    'a reject after the deadline expires it',
    pending,
    { type: 'reject', by: 'U0BOB', at: after },
    { status: 'expired', effect: 'expired' },
  ],
  [
    'the sweeper expires it after the deadline',
    pending,
    { type: 'expire', at: after },
    { status: 'expired', effect: 'expired' },
  ],
  ['the sweeper does not expire it early', pending, { type: 'expire', at: before }, 'does not expire before'],
  [
    'an approved request is applied',
    approved,
    { type: 'applied', at: before },
    { status: 'applied', effect: 'recorded' },
  ],
  [
    'an approved request can go stale',
    approved,
    { type: 'stale', at: before, reason: 'moved' },
    { status: 'stale', effect: 'recorded' },
  ],
  [
    'an approved request can fail',
    approved,
    { type: 'failed', at: before, reason: 'AWS' },
    { status: 'failed', effect: 'recorded' },
  ],
  [
    'approving an approved request changes nothing',
    approved,
    { type: 'approve', by: 'U0CAROL', at: before },
    'being applied',
  ],
  [
    'approving an applied request changes nothing',
    { ...approved, status: 'applied' },
    { type: 'approve', by: 'U0CAROL', at: before },
    'already approved and applied',
  ],
  [
    'rejecting a rejected request changes nothing',
    { ...pending, status: 'rejected' },
    { type: 'reject', by: 'U0CAROL', at: before },
    'already rejected',
  ],
  [
    'approving an expired request changes nothing',
    { ...pending, status: 'expired' },
    { type: 'approve', by: 'U0BOB', at: before },
    'expired',
  ],
  ['a pending request is not applied without approval', pending, { type: 'applied', at: before }, 'still waiting'],
  [
    'a request that could not be posted is abandoned',
    pending,
    { type: 'abandon', at: before, reason: 'Slack' },
    { status: 'failed', effect: 'recorded' },
  ],
];

describe('approval transitions', () => {
  it.each(rows)('%s', (_, request, event, expected) => {
    const t = transition(request, event);
    if (typeof expected === 'string') {
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.reason).toContain(expected);
    } else {
      expect(t).toMatchObject({ ok: true, effect: expected.effect, next: { status: expected.status } });
      if (t.ok) expect(t.next.revision).toBe(request.revision + 1);
    }
  });

  it('records who approved and when', () => {
    const t = transition(twoNeeded, { type: 'approve', by: 'U0BOB', at: before });
    expect(t.ok && t.next.approvals).toEqual([{ by: 'U0BOB', at: before }]);
  });
});
