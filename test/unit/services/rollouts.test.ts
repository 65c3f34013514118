import { beforeEach, describe, expect, it } from 'vitest';
import type { Click } from '../../../src/domain/actions.js';
import { BotError } from '../../../src/domain/errors.js';
import type { Rollout } from '../../../src/domain/rollout.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;
const staging = { fn: 'payments-api', alias: 'staging' };
const prod = { fn: 'payments-api', alias: 'prod' };
const leader = async () => true;
const schedule = { steps: [10, 50, 100], everyMs: 60_000 };

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
});

/** The rollout behind the (first) progress message, whatever its phase. */
async function posted(): Promise<Rollout | undefined> {
  const notice = k.notifier.in('C0DEPLOY', 'rollout')[0]?.notice;
  return notice?.kind === 'rollout' ? k.rolloutStore.get(notice.rollout.id) : undefined;
}

async function live(): Promise<Rollout> {
  const [r] = await k.rolloutStore.live();
  if (!r) throw new Error('no live rollout');
  return r;
}

async function startCanary(extra: { judge?: boolean; bakeMs?: number; target?: typeof staging } = {}) {
  return k.rollouts.start(alice, {
    target: extra.target ?? staging,
    version: '4',
    schedule,
    bakeMs: extra.bakeMs ?? 0,
    judge: extra.judge ?? false,
  });
}

const updates = () => k.lambda.calls.filter((c) => c.op === 'UpdateAlias').length;
const actions = () => k.audit.records.filter((r) => r.result !== 'pending').map((r) => `${r.action}:${r.result}`);

describe('a healthy canary', () => {
  it('shows its plan, runs its steps on schedule, and completes', async () => {
    const started = await startCanary();
    expect(started).toMatchObject({
      kind: 'rollout-started',
      summary: 'v3 → v4: 10% → 50% → 100%, every 1 min; no alarms watched',
    });
    expect(k.notifier.in('C0DEPLOY', 'rollout')).toHaveLength(1);
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.1 },
    });
    await k.stepper.tick(leader);
    expect(updates()).toBe(1);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.5 },
    });
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(actions()).toEqual([
      'canary.start:ok',
      'canary.step:ok',
      'canary.step:ok',
      'canary.step:ok',
      'canary.complete:ok',
    ]);
    const message = k.notifier.in('C0DEPLOY', 'rollout')[0];
    expect(message?.notice.kind === 'rollout' && message.notice.rollout.state.phase).toBe('completed');
  });

  it('bakes at 100% before completing', async () => {
    await k.rollouts.start(alice, {
      target: staging,
      version: '4',
      schedule: { steps: [100], everyMs: 0 },
      bakeMs: 600_000,
      judge: false,
    });
    await k.stepper.tick(leader);
    expect((await live()).state.phase).toBe('baking');
    k.clock.advance(600_000);
    await k.stepper.tick(leader);
    expect(await k.rolloutStore.live()).toEqual([]);
  });

  it('refuses what cannot be rolled out, before anything moves', async () => {
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '3', additional: { version: '2', weight: 0.1 } });
    await expect(startCanary()).rejects.toMatchObject({
      code: 'invalid-change',
      message: expect.stringMatching(/already split/),
    });
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '3' });
    await expect(
      k.rollouts.start(alice, { target: staging, version: '3', schedule, bakeMs: 0, judge: false }),
    ).rejects.toMatchObject({ code: 'invalid-change' });
    await expect(
      k.rollouts.start(alice, { target: staging, version: '9', schedule, bakeMs: 0, judge: false }),
    ).rejects.toMatchObject({ code: 'version-not-found' });
    await startCanary();
    await expect(startCanary()).rejects.toMatchObject({ code: 'busy' });
  });
});

describe('crashes, replicas and drift', () => {
  it('a step applied in AWS but not recorded (crash) is recorded, not applied again', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    k.clock.advance(60_000);
    // The step to 50% reached AWS, then the process died before recording it.
    const r = await live();
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '3', additional: { version: '4', weight: 0.5 } });
    expect(r.applied).toHaveLength(1);
    const before = updates();
    await k.stepper.tick(leader);
    expect(updates()).toBe(before);
    expect((await live()).applied.map((a) => a.percent)).toEqual([10, 50]);
    // Its outcome is audited too, so the log describes the alias as it is.
    const last = k.audit.records.at(-1);
    expect(last).toMatchObject({
      action: 'canary.step',
      result: 'ok',
      detail: expect.stringMatching(/after a restart/),
    });
    expect(last?.to).toEqual({ version: '3', weights: { '3': 0.5, '4': 0.5 } });
  });

  it('a last step applied in AWS but not recorded completes the rollout, and the completion is audited', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    k.clock.advance(60_000);
    // The step to 100% reached AWS, then the process died before recording it.
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '4' });
    const before = updates();
    await k.stepper.tick(leader);
    expect(updates()).toBe(before);
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(actions().filter((a) => a === 'canary.complete:ok')).toHaveLength(1);
  });

  it('two steppers at once apply each step once', async () => {
    await startCanary();
    await Promise.all([k.stepper.tick(leader), k.stepper.tick(leader), k.stepper.tick(leader)]);
    expect(updates()).toBe(1);
    expect((await live()).applied).toHaveLength(1);
  });

  it('an alias changed outside the rollout pauses it and says so', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '2' });
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    const r = await live();
    expect(r.state).toMatchObject({
      phase: 'paused',
      by: 'system',
      reason: expect.stringMatching(/changed outside the rollout/),
    });
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '2' });
  });

  it('an AWS failure during a step is retried next tick', async () => {
    await startCanary();
    k.lambda.failNext('UpdateAlias', new BotError('aws-unavailable', 'throttled'));
    await k.stepper.tick(leader);
    expect((await live()).applied).toHaveLength(0);
    await k.stepper.tick(leader);
    expect((await live()).applied).toHaveLength(1);
  });
});

describe('control', () => {
  it('pause holds, resume continues, abort sends all traffic back to the baseline', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    await k.rollouts.control(alice, 'pause', staging);
    k.clock.advance(120_000);
    await k.stepper.tick(leader);
    expect((await live()).applied).toHaveLength(1);
    await k.rollouts.control(alice, 'resume', staging);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect((await live()).applied).toHaveLength(2);
    await k.rollouts.control(alice, 'abort', staging);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    expect(actions().slice(-5)).toEqual([
      'canary.pause:ok',
      'canary.resume:ok',
      'canary.step:ok',
      'canary.abort:ok',
      'canary.abort:ok',
    ]);
  });

  it('the promote button finishes at once; a second click is told it changed nothing', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    const r = await live();
    const click = (actor: string): Click => ({ action: 'rollout.promote', actor, value: r.id, requestId: 'c1' });
    await k.rollouts.click(click('U0ALICE'), 'promote');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
    await expect(k.rollouts.click(click('U0ALICE'), 'promote')).rejects.toMatchObject({ code: 'already-decided' });
  });

  it('controls need the deployer role; forged rollout IDs are refused and audited', async () => {
    await startCanary();
    await expect(k.rollouts.control({ actor: 'U0CAROL', request: 'r' }, 'abort', staging)).rejects.toMatchObject({
      code: 'not-permitted',
    });
    await expect(
      k.rollouts.click(
        { action: 'rollout.abort', actor: 'U0ALICE', value: 'onotarealrollout', requestId: 'c' },
        'abort',
      ),
    ).rejects.toMatchObject({
      code: 'unknown-button',
    });
    expect(actions().slice(-2)).toEqual(['canary.abort:denied', 'denied:denied']);
  });

  it('with no rollout under way, controls say so', async () => {
    await expect(k.rollouts.control(alice, 'pause', staging)).rejects.toMatchObject({
      message: 'payments-api:staging has no rollout under way',
    });
  });
});

describe('automatic rollback', () => {
  it('a watched alarm going into ALARM rolls back at once, with an alert', async () => {
    k.alarmSource.set('staging-errors', staging, 'OK', 0);
    await startCanary();
    await k.stepper.tick(leader);
    await k.rollouts.onAlarm('payments-api', 'staging', 'staging-errors');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    const r = await posted();
    expect(r?.state).toMatchObject({
      phase: 'rolled-back',
      by: 'system',
      reason: 'alarm staging-errors went into ALARM',
    });
    expect(k.notifier.in('C0PAYMENTS', 'text')).toHaveLength(1);
    expect(k.audit.records.filter((x) => x.action === 'canary.abort' && x.actor === 'system').length).toBeGreaterThan(
      0,
    );
  });

  it('an alarm of another alias leaves the rollout alone', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    await k.rollouts.onAlarm('payments-api', 'prod', 'prod-errors');
    expect((await live()).state.phase).toBe('shifting');
  });
});

describe('judgement', () => {
  it('fails a canary with 3× the baseline error rate: rolled back before the next step', async () => {
    await startCanary({ judge: true });
    await k.stepper.tick(leader);
    k.metrics.set('4', 500, 15);
    k.metrics.set('3', 4500, 45);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    const rollout = (await posted()) as Rollout;
    expect(rollout.state).toMatchObject({
      phase: 'rolled-back',
      reason: expect.stringMatching(/did worse than the baseline: errors 3\.00% vs 1\.00%/),
    });
  });

  it('a marginal result pauses and asks in the thread', async () => {
    await startCanary({ judge: true });
    await k.stepper.tick(leader);
    k.metrics.set('4', 1000, 20);
    k.metrics.set('3', 9000, 108);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect((await live()).state).toMatchObject({ phase: 'paused', reason: expect.stringMatching(/marginal/) });
    expect(k.notifier.messages.filter((m) => m.notice.kind === 'rollout-question' && m.thread)).toHaveLength(1);
  });

  it('waits for enough canary traffic, then asks', async () => {
    await startCanary({ judge: true });
    await k.stepper.tick(leader);
    k.metrics.set('4', 20, 0);
    k.metrics.set('3', 180, 1);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect((await live()).state).toMatchObject({ phase: 'shifting', step: 0 });
    k.clock.advance(10 * 60_000);
    await k.stepper.tick(leader);
    expect((await live()).state).toMatchObject({ phase: 'paused', reason: expect.stringMatching(/only 20 of 200/) });
  });

  it('a healthy canary passes each judgement', async () => {
    await startCanary({ judge: true });
    k.metrics.set('4', 500, 5);
    k.metrics.set('3', 4500, 45);
    for (let i = 0; i < 3; i++) {
      await k.stepper.tick(leader);
      k.clock.advance(60_000);
    }
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
  });
});

describe('protected aliases', () => {
  it('the plan is what gets approved; approval starts it', async () => {
    const asked = await startCanary({ target: prod });
    if (asked.kind !== 'approval-requested') throw new Error('expected an approval request');
    await k.stepper.tick(leader);
    expect(updates()).toBe(0);
    await k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: asked.id, requestId: 'c' });
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.1 },
    });
    expect((await live()).approvedBy).toEqual(['U0BOB']);
  });

  it('an alias changed before approval: the request goes stale and the rollout never starts', async () => {
    const asked = await startCanary({ target: prod });
    if (asked.kind !== 'approval-requested') throw new Error('expected an approval request');
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '2' });
    const note = await k.approvals.approve({
      action: 'approval.approve',
      actor: 'U0BOB',
      value: asked.id,
      requestId: 'c',
    });
    expect(note.kind === 'note' && note.text).toMatch(/stale/);
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(updates()).toBe(0);
  });
});

describe('a rollout whose approval ends without it', () => {
  async function asked() {
    const a = await startCanary({ target: prod });
    if (a.kind !== 'approval-requested') throw new Error('expected an approval request');
    expect(await k.rolloutStore.live()).toHaveLength(1);
    return a;
  }
  const canaryAgain = () => startCanary({ target: prod });

  it('rejected: the planned rollout ends, and a new canary may be asked for', async () => {
    const a = await asked();
    await k.approvals.reject({ action: 'approval.reject', actor: 'U0BOB', value: a.id, requestId: 'c' });
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(await canaryAgain()).toMatchObject({ kind: 'approval-requested' });
  });

  it('withdrawn by the requester: the planned rollout ends', async () => {
    const a = await asked();
    await k.approvals.reject({ action: 'approval.reject', actor: 'U0ALICE', value: a.id, requestId: 'c' });
    expect(await k.rolloutStore.live()).toEqual([]);
  });

  it('expired (by the sweeper, or by a late click): the planned rollout ends', async () => {
    const swept = await asked();
    k.clock.advance(31 * 60_000);
    await k.sweeper.sweep(leader);
    expect((await k.approvalStore.get(swept.id))?.status).toBe('expired');
    expect(await k.rolloutStore.live()).toEqual([]);

    const clicked = await canaryAgain();
    if (clicked.kind !== 'approval-requested') throw new Error('expected an approval request');
    k.clock.advance(31 * 60_000);
    await expect(
      k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: clicked.id, requestId: 'c' }),
    ).rejects.toMatchObject({ code: 'already-decided' });
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(updates()).toBe(0);
  });

  it('the request cannot be posted: the planned rollout ends with it', async () => {
    k.notifier.failNextPosts(1);
    await expect(canaryAgain()).rejects.toThrow();
    expect(await k.rolloutStore.live()).toEqual([]);
  });
});

describe('alarms checked by the stepper itself', () => {
  it('a watched alarm already in ALARM stops the next step and rolls back', async () => {
    k.alarmSource.set('staging-errors', staging, 'OK', 0);
    await startCanary();
    await k.stepper.tick(leader);
    k.alarmSource.set('staging-errors', staging, 'ALARM', 1);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    expect((await posted())?.state).toMatchObject({ phase: 'rolled-back', reason: 'alarm staging-errors is in ALARM' });
  });

  it('a bake does not complete while the alarm states cannot be read', async () => {
    k.alarmSource.set('staging-errors', staging, 'OK', 0);
    await k.rollouts.start(alice, {
      target: staging,
      version: '4',
      schedule: { steps: [100], everyMs: 0 },
      bakeMs: 60_000,
      judge: false,
    });
    await k.stepper.tick(leader);
    k.alarmSource.failNext(1000);
    k.clock.advance(60_000);
    await k.stepper.tick(leader);
    expect((await live()).state.phase).toBe('baking');
  });
});

describe('status', () => {
  it('shows rollouts under way on the function', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    const status = await k.queries.status({ fn: 'payments-api' });
    expect(status.rollouts.map((r) => [r.plan.alias, r.state.phase])).toEqual([['staging', 'shifting']]);
  });
});
