import { beforeEach, describe, expect, it } from 'vitest';
import type { Click } from '../../../src/domain/actions.js';
import { BotError } from '../../../src/domain/errors.js';
import type { ApprovalRequested } from '../../../src/domain/outcome.js';
import { alice, kit, testPolicy } from '../../fakes/kit.js';
import { TEST_POLICY } from '../../support/policy.js';

let k: ReturnType<typeof kit>;
const prod = { fn: 'payments-api', alias: 'prod' };

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
});

async function ask(version = '4'): Promise<ApprovalRequested> {
  const outcome = await k.release.promote(alice, prod, version);
  if (outcome.kind !== 'approval-requested') throw new Error('expected an approval request');
  return outcome;
}

let clicks = 0;
function click(id: string, actor: string, action: Click['action'] = 'approval.approve'): Click {
  return { action, actor, value: id, requestId: `click-${++clicks}` };
}

async function refused(promise: Promise<unknown>): Promise<BotError> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof BotError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

const actions = () => k.audit.records.map((r) => `${r.action}:${r.result}`);

describe('requesting', () => {
  it('posts the request bound to the alias state, with the version and what changes', async () => {
    const outcome = await ask();
    expect(outcome).toMatchObject({
      channel: 'C0APPROVALS',
      link: expect.stringContaining('C0APPROVALS'),
      requiredApprovals: 1,
    });
    const [message] = k.notifier.in('C0APPROVALS', 'approval');
    const request = message?.notice.kind === 'approval' ? message.notice.request : undefined;
    expect(request).toMatchObject({
      requester: 'U0ALICE',
      status: 'pending',
      bound: { routing: { primary: '3' }, revisionId: k.lambda.alias('payments-api', 'prod').revisionId },
      change: { kind: 'routing', action: 'promote', to: { primary: '4' } },
      version: { description: 'release 4' },
    });
    expect(request?.diff?.changes.map((c) => c.field)).toContain('code');
    expect(actions()).toEqual(['approval.request:ok']);
  });

  it('a nonsensical change is refused at once, not approved later', async () => {
    expect((await refused(k.release.promote(alice, prod, '3'))).code).toBe('invalid-change');
  });

  it('if the request cannot be posted, it is abandoned and the requester told', async () => {
    k.notifier.failing = new BotError('slack-unavailable', 'chat.postMessage failed');
    expect((await refused(ask())).code).toBe('slack-unavailable');
    expect((await k.approvalStore.open()).length).toBe(0);
  });
});

describe('deciding', () => {
  it('an approver approves: the change is applied once, the message updated, the requester’s channel told', async () => {
    const { id } = await ask();
    const note = await k.approvals.approve(click(id, 'U0BOB'));
    expect(note).toEqual({ kind: 'note', text: 'You approved: the change is applied.' });
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '4' });
    const message = k.notifier.in('C0APPROVALS', 'approval')[0];
    expect(message?.notice.kind === 'approval' && message.notice.request.status).toBe('applied');
    expect(k.notifier.in('C0DEPLOY', 'outcome')).toHaveLength(1);
    expect(actions()).toEqual(['approval.request:ok', 'approval.approve:ok', 'promote:pending', 'promote:ok']);
    expect(k.audit.records.at(-1)).toMatchObject({
      actor: 'U0ALICE',
      request: 'r-alice',
      detail: expect.stringMatching(/approved by U0BOB/),
    });
  });

  it('the requester cannot approve their own request, even as an approver; it is audited', async () => {
    const { id } = await ask();
    const bob = { actor: 'U0BOB', request: 'r-bob', channel: 'C0DEPLOY' };
    const own = await k.release.promote(bob, prod, '5');
    if (own.kind !== 'approval-requested') throw new Error('expected a request');
    const error = await refused(k.approvals.approve(click(own.id, 'U0BOB')));
    expect(error.message).toMatch(/someone else must approve/);
    expect(actions().at(-1)).toBe('approval.approve:denied');
    expect(id).not.toBe(own.id);
  });

  it('someone who is not an approver is refused and audited', async () => {
    const { id } = await ask();
    expect((await refused(k.approvals.approve(click(id, 'U0ONCALL')))).code).toBe('not-permitted');
    expect(actions().at(-1)).toBe('approval.approve:denied');
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
  });

  it('20 concurrent approve clicks apply the change exactly once', async () => {
    k = kit(
      testPolicy(
        TEST_POLICY.replace(
          'approvers: [U0BOB, U0CAROL]',
          `approvers: [${Array.from({ length: 20 }, (_, i) => `U0APPR${i}`).join(', ')}]`,
        ),
      ),
    );
    k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
    const { id } = await ask();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => k.approvals.approve(click(id, `U0APPR${i}`))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toHaveLength(1);
    expect(actions().filter((a) => a === 'promote:ok')).toHaveLength(1);
    expect(actions().filter((a) => a === 'approval.approve:denied')).toHaveLength(19);
    expect((await k.audit.verify()).ok).toBe(true);
  });

  it('a double click is told it changed nothing', async () => {
    const { id } = await ask();
    await k.approvals.approve(click(id, 'U0BOB'));
    const error = await refused(k.approvals.approve(click(id, 'U0BOB')));
    expect(error).toMatchObject({
      code: 'already-decided',
      message: expect.stringMatching(/already approved and applied/),
    });
  });

  it('two approvals needed: distinct approvers, applied at the second', async () => {
    k = kit(testPolicy(TEST_POLICY.replace('required_approvals: 1', 'required_approvals: 2')));
    k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' } });
    const { id } = await ask();
    expect(await k.approvals.approve(click(id, 'U0BOB'))).toEqual({
      kind: 'note',
      text: 'You approved. It needs 1 more approval.',
    });
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
    await k.approvals.approve(click(id, 'U0CAROL'));
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '4' });
  });

  it('a reject ends it without any change; the requester may withdraw', async () => {
    const { id } = await ask();
    await k.approvals.reject(click(id, 'U0CAROL', 'approval.reject'));
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toEqual([]);
    expect(actions()).toEqual(['approval.request:ok', 'approval.reject:ok']);
    const second = await ask('5');
    expect(await k.approvals.reject(click(second.id, 'U0ALICE', 'approval.reject'))).toEqual({
      kind: 'note',
      text: 'You withdrew your request.',
    });
  });

  it('an alias changed between request and approval makes the request stale; nothing is applied', async () => {
    const { id } = await ask();
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '2' });
    const note = await k.approvals.approve(click(id, 'U0BOB'));
    expect(note.kind === 'note' && note.text).toMatch(/went stale: the alias changed since the request/);
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '2' });
    const message = k.notifier.in('C0APPROVALS', 'approval')[0];
    expect(message?.notice.kind === 'approval' && message.notice.request.status).toBe('stale');
  });

  it('a click after the deadline expires the request and is refused', async () => {
    const { id } = await ask();
    k.clock.advance(31 * 60_000);
    const error = await refused(k.approvals.approve(click(id, 'U0BOB')));
    expect(error.message).toMatch(/expired/);
    expect(actions()).toEqual(['approval.request:ok', 'approval.expire:ok', 'approval.approve:denied']);
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toEqual([]);
  });

  it('an unknown or forged ID is refused and audited', async () => {
    for (const value of [`a${'x'.repeat(16)}`, 'garbage', '']) {
      expect((await refused(k.approvals.approve(click(value, 'U0BOB')))).code).toBe('unknown-button');
    }
    expect(actions()).toEqual(['denied:denied', 'denied:denied', 'denied:denied']);
  });
});

describe('the sweeper', () => {
  it('expires requests past their deadline once, updating their message', async () => {
    const { id } = await ask();
    await k.approvals.sweep(async () => true);
    expect((await k.approvalStore.get(id))?.status).toBe('pending');
    k.clock.advance(30 * 60_000);
    await k.approvals.sweep(async () => true);
    await k.approvals.sweep(async () => true);
    expect((await k.approvalStore.get(id))?.status).toBe('expired');
    expect(actions()).toEqual(['approval.request:ok', 'approval.expire:ok']);
    expect(k.notifier.in('C0APPROVALS', 'approval')[0]?.updates).toBeGreaterThan(0);
  });

  it('finishes a request left approved by a replica that died before applying it', async () => {
    const { id } = await ask();
    const request = await k.approvalStore.get(id);
    if (!request) throw new Error('missing');
    await k.approvalStore.replace(request, {
      ...request,
      status: 'approved',
      approvals: [{ by: 'U0BOB', at: k.clock.now().toISOString() }],
      revision: request.revision + 1,
    });
    k.clock.advance(3 * 60_000);
    await k.approvals.sweep(async () => true);
    expect((await k.approvalStore.get(id))?.status).toBe('applied');
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '4' });
  });

  it('does nothing once it is no longer the leader', async () => {
    const { id } = await ask();
    k.clock.advance(31 * 60_000);
    await k.approvals.sweep(async () => false);
    expect((await k.approvalStore.get(id))?.status).toBe('pending');
  });
});

describe('freezes', () => {
  it('freeze stops promote on the function (even before approval) but not rollback; unfreeze lifts it', async () => {
    await k.freezes.freeze(alice, { fn: 'payments-api' }, 'release train');
    expect((await refused(k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4'))).code).toBe(
      'not-permitted',
    );
    expect((await refused(k.release.promote(alice, prod, '4'))).message).toMatch(/frozen/);
    await k.release.rollback({ actor: 'U0ONCALL', request: 'r' }, prod, '2', 'incident');
    await k.freezes.unfreeze(alice, { fn: 'payments-api' });
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    expect(actions().filter((a) => a.startsWith('freeze') || a.startsWith('unfreeze'))).toEqual([
      'freeze:ok',
      'unfreeze:ok',
    ]);
  });

  it('unfreeze of something not frozen says so, and names what is', async () => {
    await k.freezes.freeze(alice, prod, 'incident');
    const error = await refused(k.freezes.unfreeze(alice, { fn: 'payments-api' }));
    expect(error.message).toBe('payments-api is not frozen (frozen: payments-api:prod)');
  });

  it('only deployers freeze', async () => {
    expect((await refused(k.freezes.freeze({ actor: 'U0ONCALL', request: 'r' }, prod, 'x'))).code).toBe(
      'not-permitted',
    );
  });

  it('status shows freezes and pending approvals', async () => {
    await k.freezes.freeze(alice, prod, 'incident');
    await k.freezes.unfreeze(alice, prod);
    await ask();
    await k.freezes.freeze(alice, { fn: 'payments-api' }, 'quiet period');
    const status = await k.queries.status({ fn: 'payments-api' });
    expect(status.freezes.map((f) => f.reason)).toEqual(['quiet period']);
    expect(status.approvals.map((r) => r.change.version)).toEqual(['4']);
  });
});
