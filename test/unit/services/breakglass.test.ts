/**
 * Break-glass through the services (CONTRACT §11): past approvals, gates and freezes, never past the
 * policy's functions or a change in flight; announced, reviewed by another approver, reminded.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Click } from '../../../src/domain/actions.js';
import { alice, kit, testPolicy } from '../../fakes/kit.js';
import { withGates } from '../../support/policy.js';
import { refusal } from '../../support/refusal.js';

const POLICY = withGates(
  ['soaked_on: staging', 'soak: 30m'],
  ['breakglass: [U0ONCALL, U0DAVE]'],
  ['breakglass_review: 2h'],
);
const oncall = { actor: 'U0ONCALL', request: 'r-oncall', channel: 'C0INCIDENT' };
const prod = { fn: 'payments-api', alias: 'prod' };
const REASON = 'checkout errors at 40%, approver unreachable';

let k: ReturnType<typeof kit>;
beforeEach(async () => {
  k = kit(testPolicy(POLICY));
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '4' } });
});

let clicks = 0;
const review = (value: string, actor: string): Click => ({
  action: 'breakglass.review',
  actor,
  value,
  requestId: `click-${++clicks}`,
});

async function broken() {
  await k.freezes.freeze({ actor: 'U0ALICE', request: 'r-freeze' }, prod, 'quarter close');
  const changed = await k.release.promote(oncall, prod, '4', REASON);
  if (changed.kind !== 'alias-changed') throw new Error('expected a change');
  return changed;
}

describe('breaking the glass', () => {
  it('past the freeze, the approval and the gates at once; every record marked, with the reason and what was bypassed', async () => {
    const changed = await broken();
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '4' });
    expect(changed.breakGlass?.reason).toBe(REASON);
    expect(changed.breakGlass?.bypassed.map((b) => b.kind)).toEqual(['freeze', 'approval', 'gates']);
    const records = k.audit.records.filter((r) => r.action === 'promote');
    expect(records.map((r) => r.result)).toEqual(['pending', 'ok']);
    for (const r of records) {
      expect(r.breakglass).toBe(true);
      expect(r.detail).toContain(`break-glass: ${REASON}`);
      expect(r.detail).toContain('freeze of payments-api:prod (quarter close)');
    }
    // Made as the person: AWS's trail names them.
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias').map((c) => c.session)).toEqual(['U0ONCALL']);
  });

  it('announced in the approvals and the alerts channels with the review button', async () => {
    await broken();
    for (const channel of ['C0APPROVALS', 'C0PAYMENTS']) {
      const [message] = k.notifier.in(channel, 'breakglass');
      expect(message?.notice.kind === 'breakglass' && message.notice.record).toMatchObject({
        actor: 'U0ONCALL',
        reason: REASON,
        change: 'promote to v4',
        reviewDueAt: '2026-11-26T14:00:00.000Z',
      });
    }
  });

  it('someone outside the role is refused, audited, told who may; nothing changes', async () => {
    const e = await refusal(k.release.promote(alice, prod, '4', REASON));
    expect(e.code).toBe('not-permitted');
    expect(e.details.mayBy).toEqual(['U0ONCALL', 'U0DAVE']);
    expect(k.audit.records.at(-1)).toMatchObject({
      result: 'denied',
      detail: expect.stringMatching(/^break-glass refused/),
    });
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
  });

  it('never past a function outside the policy or a change in flight', async () => {
    const outside = await refusal(k.release.promote(oncall, { fn: 'billing', alias: 'prod' }, '4', REASON));
    expect(['not-permitted', 'unknown-target']).toContain(outside.code);
    const lock = await k.locks.acquire(
      'alias:payments-api:prod',
      { actor: 'U0BOB', request: 'r', action: 'promote' },
      30_000,
    );
    expect(lock.acquired).toBe(true);
    expect((await refusal(k.release.promote(oncall, prod, '4', REASON))).code).toBe('busy');
  });

  it('a canary with break-glass starts without approval; its start and steps are marked', async () => {
    const schedule = { steps: [50, 100], everyMs: 60_000 };
    const started = await k.rollouts.start(oncall, {
      target: prod,
      version: '4',
      schedule,
      bakeMs: 0,
      judge: false,
      breakGlass: REASON,
    });
    expect(started.kind).toBe('rollout-started');
    await k.stepper.tick(async () => true);
    const marked = k.audit.records.filter((r) => r.breakglass).map((r) => `${r.action}:${r.result}`);
    expect(marked).toContain('canary.start:ok');
    expect(marked).toContain('canary.step:ok');
  });

  it('a rollback with break-glass by someone in the role but neither deployer nor responder', async () => {
    await k.release.promote(oncall, prod, '4', REASON);
    const back = await k.release.rollback({ actor: 'U0DAVE', request: 'r-dave' }, prod, '3', undefined, REASON);
    expect(back.after).toEqual({ primary: '3' });
    expect(back.breakGlass?.bypassed).toEqual([]);
  });
  it('a request waiting for approval of the same change is overtaken: approving it later applies nothing', async () => {
    await k.clock.advance(31 * 60_000);
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '5');
    await k.clock.advance(31 * 60_000);
    const asked = await k.release.promote(alice, prod, '5');
    if (asked.kind !== 'approval-requested') throw new Error('expected a request');
    await k.release.promote(oncall, prod, '5', REASON);
    await k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: asked.id, requestId: 'c-bob' });
    const request = await k.approvalStore.get(asked.id);
    expect(request?.status).toBe('stale');
    expect(request?.note).toContain('changed by another request since');
    expect(k.audit.records.filter((r) => r.action === 'promote' && r.result === 'ok')).toHaveLength(2);
  });
});

describe('review', () => {
  it('by an approver other than the actor: recorded, the announcements updated, once', async () => {
    const changed = await broken();
    const id = changed.breakGlass?.id as string;
    const own = await refusal(k.actions['breakglass.review'](review(id, 'U0ONCALL')));
    expect(own.message).toContain('someone else must review it');
    const notApprover = await refusal(k.actions['breakglass.review'](review(id, 'U0ALICE')));
    expect(notApprover.code).toBe('not-permitted');
    await k.actions['breakglass.review'](review(id, 'U0BOB'));
    const again = await refusal(k.actions['breakglass.review'](review(id, 'U0CAROL')));
    expect(again.message).toContain('already reviewed at');
    expect(again.details.by).toBe('U0BOB');
    const reviews = k.audit.records
      .filter((r) => r.action === 'breakglass.review')
      .map((r) => `${r.actor}:${r.result}`);
    expect(reviews).toEqual(['U0ONCALL:denied', 'U0ALICE:denied', 'U0BOB:ok', 'U0CAROL:denied']);
    const updated = k.notifier.messages.filter((m) => m.notice.kind === 'breakglass' && m.notice.record.review);
    expect(updated.length).toBeGreaterThanOrEqual(2);
  });

  it('a forged value is refused unread and audited', async () => {
    const e = await refusal(k.actions['breakglass.review'](review('b<script>', 'U0BOB')));
    expect(e.code).toBe('unknown-button');
    expect(k.audit.records.at(-1)).toMatchObject({ action: 'denied', result: 'denied' });
  });
});

describe('reminders', () => {
  it('when the review is overdue, then daily, never twice, and none once reviewed', async () => {
    const changed = await broken();
    const leader = async () => true;
    const reminders = () => k.notifier.messages.filter((m) => m.notice.kind === 'breakglass-reminder').length;
    await k.clock.advance(2 * 3_600_000 - 1000);
    await k.reminder.run(leader);
    expect(reminders()).toBe(0);
    await k.clock.advance(1000);
    await k.reminder.run(leader);
    await k.reminder.run(leader);
    expect(reminders()).toBe(1);
    await k.clock.advance(86_400_000);
    await k.reminder.run(leader);
    expect(reminders()).toBe(2);
    await k.actions['breakglass.review'](review(changed.breakGlass?.id as string, 'U0BOB'));
    await k.clock.advance(86_400_000);
    await k.reminder.run(leader);
    expect(reminders()).toBe(2);
  });
});
