/**
 * Promotion gates through the services (CONTRACT §11): facts from the audit log, the alarm poller's
 * records and Lambda; refusals with the checklist; approvals checked again at the last approval.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Click } from '../../../src/domain/actions.js';
import type { BotError } from '../../../src/domain/errors.js';
import type { GateCheck } from '../../../src/domain/gates.js';
import { alice, kit, testPolicy } from '../../fakes/kit.js';
import { withGates } from '../../support/policy.js';
import { refusal } from '../../support/refusal.js';

const SIGNER = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/Release/abcdef1234';
const GATED = withGates(['soaked_on: staging', 'soak: 30m', `signed_by: ["${SIGNER}"]`, 'same_code_as: staging']);
const bob = { actor: 'U0BOB', request: 'r-bob', channel: 'C0DEPLOY' };
const prod = { fn: 'payments-api', alias: 'prod' };
const staging = { fn: 'payments-api', alias: 'staging' };

let k: ReturnType<typeof kit>;
beforeEach(async () => {
  k = kit(testPolicy(GATED));
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
  k.lambda.sign('payments-api', '4', SIGNER);
  await k.release.promote(alice, staging, '4');
});

const checksOf = (e: BotError) => e.details.checks as GateCheck[];
const minutes = (n: number) => k.clock.advance(n * 60_000);

describe('refusal with the checklist', () => {
  it('12 minutes into a 30-minute soak: refused, every gate listed with its fact, audited, nothing changed', async () => {
    await minutes(12);
    const e = await refusal(k.release.promote(alice, prod, '4'));
    expect(e.code).toBe('gates-not-met');
    expect(checksOf(e)).toEqual([
      { gate: 'soak', met: false, fact: 'served staging 100% for 12 of 30 min' },
      { gate: 'signed', met: true, fact: 'signed by Release/abcdef1234' },
      { gate: 'same-code', met: true, fact: expect.stringContaining('same code as staging (v4') },
    ]);
    expect(k.audit.records.at(-1)).toMatchObject({ action: 'promote', result: 'denied', alias: 'prod' });
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
    expect(k.approvalStore).toBeDefined();
    expect(await k.approvalStore.open()).toEqual([]);
  });

  it('an unsigned version, or one of other code than staging, fails those gates whatever the soak', async () => {
    await minutes(45);
    const e = await refusal(k.release.promote(alice, prod, '5'));
    const facts = checksOf(e).map((c) => `${c.met ? '+' : '-'} ${c.fact}`);
    expect(facts).toEqual([
      '- staging serves 100% v4, not 100% v5',
      '- v5 is not signed',
      expect.stringMatching(/^- code code-5 differs from staging \(v4, code-4/),
    ]);
  });

  it('shift and canary onto the alias are gated too; shifting a version to 0% is not', async () => {
    await minutes(5);
    expect((await refusal(k.release.shift(alice, prod, '4', 10))).code).toBe('gates-not-met');
    const canary = {
      target: prod,
      version: '4',
      schedule: { steps: [10, 100], everyMs: 60_000 },
      bakeMs: 0,
      judge: false,
    };
    expect((await refusal(k.rollouts.start(alice, canary))).code).toBe('gates-not-met');
    expect(await k.rolloutStore.live()).toEqual([]);
  });

  it('a rollback to a version the alias served before passes; to one it never served, the gates apply', async () => {
    await minutes(31);
    const asked = await k.release.promote(alice, prod, '4');
    if (asked.kind !== 'approval-requested') throw new Error('expected a request');
    await k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: asked.id, requestId: 'c-1' });
    await k.release.promote(alice, staging, '5');
    // prod served v3, then v4 (the audit log says so): a rollback to v3 passes, a "rollback" to v5 is gated.
    expect((await refusal(k.release.rollback(alice, prod, '5', undefined))).code).toBe('gates-not-met');
    const back = await k.release.rollback(alice, prod, '3', undefined);
    expect(back.after).toEqual({ primary: '3' });
  });
  it('reads staging once though two gates name it, and the candidate once though staging serves it', async () => {
    const from = k.lambda.calls.length;
    await refusal(k.release.promote(alice, prod, '4'));
    const reads = k.lambda.calls.slice(from).map((c) => `${c.op} ${c.alias ?? ''}`.trim());
    expect(reads.filter((r) => r === 'GetAlias staging')).toHaveLength(1);
    expect(reads.filter((r) => r === 'GetFunctionConfiguration')).toHaveLength(1);
  });
});

describe('met gates', () => {
  it('at exactly the soak an approval request carries the checklist; a restart changes nothing of it', async () => {
    await minutes(30);
    const outcome = await k.release.promote(alice, prod, '4');
    expect(outcome.kind).toBe('approval-requested');
    const [request] = await k.approvalStore.open();
    expect(request?.gates?.every((c) => c.met)).toBe(true);
    expect(request?.gates?.[0]?.fact).toBe('served staging 100% for 30 of 30 min');
  });

  it('an alarm of staging during the soak restarts the clock from its return to OK', async () => {
    k.alarmSource.set('payments-staging-errors', staging, 'OK', k.clock.now().getTime());
    await k.poller.run(async () => true);
    await minutes(20);
    k.alarmSource.set('payments-staging-errors', staging, 'ALARM', k.clock.now().getTime());
    await k.poller.run(async () => true);
    const during = await refusal(k.release.promote(alice, prod, '4'));
    expect(checksOf(during)[0]?.fact).toContain('payments-staging-errors in ALARM now');
    await minutes(5);
    k.alarmSource.set('payments-staging-errors', staging, 'OK', k.clock.now().getTime());
    await k.poller.run(async () => true);
    await minutes(29);
    const after = await refusal(k.release.promote(alice, prod, '4'));
    expect(checksOf(after)[0]?.fact).toMatch(
      /^served staging 100% for 29 of 30 min \(restarted when payments-staging-errors went back to OK\)/,
    );
    await minutes(1);
    expect((await k.release.promote(alice, prod, '4')).kind).toBe('approval-requested');
  });
});

describe('checked again at the last approval', () => {
  let clicks = 0;
  const click = (value: string, actor: string): Click => ({
    action: 'approval.approve',
    actor,
    value,
    requestId: `click-${++clicks}`,
  });

  it('staging moved on before the approval: the request fails, saying which gate changed, nothing applied', async () => {
    await minutes(30);
    const asked = await k.release.promote(alice, prod, '4');
    if (asked.kind !== 'approval-requested') throw new Error('expected a request');
    await k.release.promote(alice, staging, '5');
    await k.approvals.approve(click(asked.id, bob.actor));
    const request = await k.approvalStore.get(asked.id);
    expect(request?.status).toBe('failed');
    expect(request?.note).toMatch(/^the gates are no longer met: staging serves 100% v5, not 100% v4/);
    expect(request?.gatesAtApproval?.find((c) => c.gate === 'soak')?.met).toBe(false);
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
  });

  it('still met: applied, with the checklist of the approval kept on the request', async () => {
    await minutes(30);
    const asked = await k.release.promote(alice, prod, '4');
    if (asked.kind !== 'approval-requested') throw new Error('expected a request');
    await minutes(10);
    await k.approvals.approve(click(asked.id, bob.actor));
    const request = await k.approvalStore.get(asked.id);
    expect(request?.status).toBe('applied');
    expect(request?.gatesAtApproval?.[0]?.fact).toBe('served staging 100% for 30 of 30 min');
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '4' });
  });
});

describe('status', () => {
  it('shows the candidate (what staging serves) with its soak clock', async () => {
    await minutes(12);
    const view = await k.gates.view(prod, 'prod');
    expect(view).toMatchObject({ alias: 'prod', candidate: '4', from: 'staging' });
    expect(view?.checks?.[0]?.fact).toBe('served staging 100% for 12 of 30 min');
    expect(await k.gates.view(staging, 'staging')).toBeUndefined();
  });
});
