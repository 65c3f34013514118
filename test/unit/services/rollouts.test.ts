import { describe, expect, it } from 'vitest';
import type { Click } from '../../../src/domain/actions.js';
import { BotError } from '../../../src/domain/errors.js';
import { alice } from '../../fakes/kit.js';
import {
  actions,
  k,
  leader,
  live,
  posted,
  schedule,
  staging,
  startCanary,
  updates,
  useRolloutKit,
} from './rollout-fixture.js';

useRolloutKit();

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

  it('a step found applied is recorded before the rollout moves past it: if the record fails, the next tick records it', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    k.clock.advance(60_000);
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '3', additional: { version: '4', weight: 0.5 } });
    // The restarted leader finds the step applied, and Redis fails as it records it.
    k.audit.setAvailable(false);
    await k.stepper.tick(leader).catch(() => undefined);
    k.audit.setAvailable(true);
    expect((await live()).applied.map((a) => a.percent)).toEqual([10]);
    const before = updates();
    await k.stepper.tick(leader);
    expect(updates()).toBe(before);
    expect((await live()).applied.map((a) => a.percent)).toEqual([10, 50]);
    const found = k.audit.records.filter((r) => r.action === 'canary.step' && /after a restart/.test(r.detail));
    expect(found.map((r) => r.to)).toEqual([{ version: '3', weights: { '3': 0.5, '4': 0.5 } }]);
  });

  it('a step applied in AWS whose outcome Redis failed to record (a failover) is recorded next tick, not applied again', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    k.clock.advance(60_000);
    // The intent is written; Redis goes away while UpdateAlias is under way, so the outcome is not.
    k.lambda.beforeUpdate = () => k.audit.setAvailable(false);
    await k.stepper.tick(leader);
    k.lambda.beforeUpdate = undefined;
    k.audit.setAvailable(true);
    const before = updates();
    await k.stepper.tick(leader);
    expect(updates()).toBe(before);
    expect((await live()).applied.map((a) => a.percent)).toEqual([10, 50]);
    const steps = k.audit.records.filter((r) => r.action === 'canary.step');
    expect(steps.map((r) => `${r.result} ${r.to?.weights['4']}`)).toEqual([
      'pending 0.1',
      'ok 0.1',
      'pending 0.5',
      'ok 0.5',
    ]);
    expect(await k.audit.pendingIntents(new Date(k.clock.now().getTime() + 600_000), 10)).toEqual([]);
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
