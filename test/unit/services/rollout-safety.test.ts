import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/domain/rollout.js';
import { k, leader, live, posted, staging, startCanary, useRolloutKit } from './rollout-fixture.js';

useRolloutKit();

describe('automatic rollback', () => {
  it('a watched alarm going into ALARM rolls back at once, with an alert', async () => {
    k.alarmSource.set('staging-errors', staging, 'OK', 0);
    await startCanary();
    await k.stepper.tick(leader);
    await k.interrupts.onAlarm('payments-api', 'staging', 'staging-errors');
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

  it('the alarm’s alert says the bot rolled back, rather than offer a Roll back no longer needed', async () => {
    k.alarmSource.set('staging-errors', staging, 'OK', 0);
    await startCanary();
    await k.stepper.tick(leader);
    await k.poller.run(leader);
    k.clock.advance(30_000);
    k.alarmSource.set('staging-errors', staging, 'ALARM', k.clock.now().getTime());
    await k.poller.run(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    const alert = await k.alertStore.latest('staging-errors');
    expect(alert?.rolledBack).toMatchObject({ by: 'system', to: '3' });
    const shown = k.notifier.posts.filter((p) => p.notice.kind === 'alarm-alert').at(-1);
    expect(shown?.notice).toMatchObject({ alert: { rolledBack: { by: 'system', to: '3' } } });
  });

  it('an alarm of another alias leaves the rollout alone', async () => {
    await startCanary();
    await k.stepper.tick(leader);
    await k.interrupts.onAlarm('payments-api', 'prod', 'prod-errors');
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
