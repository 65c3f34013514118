/**
 * The watch of changes made outside the bot over fakes (CONTRACT §10): noticed, named, alerted once,
 * put back where the policy says, and never the bot's own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutsideAlert } from '../../../src/domain/outside-alert.js';
import { alice, kit, oncall, testPolicy } from '../../fakes/kit.js';
import { TEST_POLICY } from '../../support/policy.js';

const POLICY = TEST_POLICY.replace('      staging: {}', '      staging: { outside_changes: revert }');
let k: ReturnType<typeof kit>;
const leader = async () => true;

beforeEach(async () => {
  k = kit(testPolicy(POLICY));
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
  k.lambda.addFunction('orders-api', 3, { prod: { primary: '1' } });
  await k.watch.run(leader);
});

const alerts = () =>
  k.notifier.posts
    .filter((p) => p.notice.kind === 'outside-alert')
    .map((p) => (p.notice as { alert: OutsideAlert }).alert);

describe('the watch', () => {
  it('the first look at a function is its baseline: nothing is alerted', () => {
    expect(alerts()).toEqual([]);
    expect(k.audit.records).toEqual([]);
  });

  it('an alias moved by someone else is alerted once and audited', async () => {
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '5' });
    await k.watch.run(leader);
    await k.watch.run(leader);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({
      fn: 'payments-api',
      change: { kind: 'alias-moved', alias: 'prod', before: { primary: '3' }, after: { primary: '5' } },
      channel: 'C0PAYMENTS',
      mode: 'alert',
      who: { state: 'looking' },
    });
    expect(k.audit.records.map((r) => [r.actor, r.action, r.alias, r.result])).toEqual([
      ['system', 'outside.change', 'prod', 'ok'],
    ]);
    expect(k.audit.records[0]?.detail).toMatch(/^changed outside the bot: prod moved from 100% v3 to 100% v5/);
  });

  it('moved back by someone just after the bot moved it, between two watches: alerted, from the bot’s state', async () => {
    k.clock.advance(60_000);
    await k.release.promote(alice, { fn: 'orders-api', alias: 'prod' }, '2');
    k.lambda.setAliasOutside('orders-api', 'prod', { primary: '1' });
    await k.watch.run(leader);
    expect(alerts().map((a) => a.change)).toEqual([
      expect.objectContaining({ kind: 'alias-moved', before: { primary: '2' }, after: { primary: '1' } }),
    ]);
  });

  it('a rollout under way on the alias pauses, and the alert says so', async () => {
    await k.rollouts.start(alice, {
      target: { fn: 'orders-api', alias: 'prod' },
      version: '3',
      schedule: { steps: [10, 100], everyMs: 60_000 },
      bakeMs: 0,
      judge: false,
    });
    await k.stepper.tick(leader);
    await k.watch.run(leader);
    expect(alerts()).toEqual([]);
    k.lambda.setAliasOutside('orders-api', 'prod', { primary: '2' });
    await k.watch.run(leader);
    const [rollout] = await k.rolloutStore.live();
    expect(rollout?.state).toMatchObject({ phase: 'paused', by: 'system' });
    expect(alerts()[0]?.pausedRollout).toBe(rollout?.id);
    expect(k.audit.records.filter((r) => r.action === 'canary.pause').map((r) => r.actor)).toEqual(['system']);
  });

  it('the bot’s own changes are never reported: promotes, rollbacks, publishes', async () => {
    await k.release.promote(alice, { fn: 'orders-api', alias: 'prod' }, '2');
    await k.release.rollback(oncall, { fn: 'orders-api', alias: 'prod' }, undefined, undefined);
    k.lambda.updateCode('payments-api', 'code-new');
    await k.publish.publish(alice, { target: { fn: 'payments-api' } });
    await k.watch.run(leader);
    expect(alerts()).toEqual([]);
  });

  it('a version published by hand is a quiet note', async () => {
    k.lambda.updateCode('orders-api', 'code-by-hand');
    await k.lambda.publishVersion(k.fleet.named('orders-api'), { description: 'hotfix' });
    await k.watch.run(leader);
    const [note] = alerts();
    expect(note).toMatchObject({
      change: { kind: 'version-published', version: '4', description: 'hotfix' },
      who: { state: 'unknown' },
    });
  });

  it('an alias set to `revert` is put back at once by the bot, audited as outside.revert by system', async () => {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '5' });
    await k.watch.run(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
    const reverts = k.audit.records.filter((r) => r.action === 'outside.revert');
    expect(reverts.map((r) => [r.actor, r.result])).toEqual([
      ['system', 'pending'],
      ['system', 'ok'],
    ]);
    const [alert] = alerts();
    const now = await k.outside.get(alert?.id ?? '');
    expect(now?.reverted).toMatchObject({ by: 'system', to: { primary: '4' } });
    // The revert is the bot's own change: the next watch is quiet.
    await k.watch.run(leader);
    expect(alerts()).toHaveLength(1);
  });

  it('a `revert` alias the bot never set goes back to what the watch last saw, and says so', async () => {
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '5' });
    await k.watch.run(leader);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
    const [alert] = alerts();
    expect(alert).toMatchObject({ botSet: { primary: '3' }, fromWatch: true });
    expect((await k.outside.get(alert?.id ?? ''))?.reverted).toMatchObject({ by: 'system', to: { primary: '3' } });
  });

  it('who: the alert is posted looking, and updated when CloudTrail has the event', async () => {
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '4' });
    await k.watch.run(leader);
    const [alert] = alerts();
    expect(alert?.who.state).toBe('looking');
    const revisionId = k.lambda.alias('payments-api', 'prod').revisionId;
    k.trail.add('payments-api', {
      eventName: 'UpdateAlias20150331',
      eventTime: k.clock.now().toISOString(),
      arn: 'arn:aws:iam::123456789012:user/mallory',
      identityType: 'IAMUser',
      requestParameters: { name: 'prod' },
      responseElements: { revisionId },
    });
    await k.watch.run(leader);
    // The message shows the newest state of the alert: updated in place.
    expect(alerts()[0]).toMatchObject({
      who: { state: 'found', identity: { arn: 'arn:aws:iam::123456789012:user/mallory' } },
    });
    expect(k.notifier.posts[0]?.updates).toBeGreaterThan(0);
  });

  it('gives up after 20 minutes, and says so; says why when CloudTrail may not be read', async () => {
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '4' });
    await k.watch.run(leader);
    k.clock.advance(21 * 60_000);
    await k.watch.run(leader);
    const [alert] = alerts();
    expect((await k.outside.get(alert?.id ?? ''))?.who).toEqual({
      state: 'unknown',
      why: 'outside the bot, identity unknown: CloudTrail had no event for it after 20 minutes',
    });
    k.trail.denied = true;
    k.lambda.setAliasOutside('orders-api', 'prod', { primary: '3' });
    await k.watch.run(leader);
    const second = alerts()[1];
    expect((await k.outside.get(second?.id ?? ''))?.who).toMatchObject({
      state: 'unknown',
      why: expect.stringContaining('may not read CloudTrail in own/us-east-1'),
    });
  });
});

describe('the buttons', () => {
  async function moved(): Promise<OutsideAlert> {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'prod' }, '4').catch(() => {});
    k.lambda.setAliasOutside('orders-api', 'prod', { primary: '3' });
    await k.watch.run(leader);
    const alert = alerts().at(-1);
    if (!alert) throw new Error('no alert');
    return alert;
  }
  const click = (action: 'outside.revert' | 'outside.accept', value: string, actor: string) => ({
    action: action as 'outside.revert' | 'outside.accept',
    value,
    actor,
    requestId: `r-${actor}`,
  });

  it('a responder reverts; a replayed click changes nothing more and is audited as refused', async () => {
    await k.release.promote(alice, { fn: 'orders-api', alias: 'prod' }, '2');
    const alert = await moved();
    await k.watch.run(leader);
    expect(await k.actions['outside.revert'](click('outside.revert', alert.id, 'U0ONCALL'))).toMatchObject({
      kind: 'note',
    });
    expect(k.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '2' });
    const writes = k.lambda.calls.filter((c) => c.op === 'UpdateAlias').length;
    await expect(k.actions['outside.revert'](click('outside.revert', alert.id, 'U0ONCALL'))).rejects.toMatchObject({
      code: 'already-decided',
    });
    await expect(k.actions['outside.accept'](click('outside.accept', alert.id, 'U0ALICE'))).rejects.toMatchObject({
      code: 'already-decided',
    });
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias').length).toBe(writes);
    expect(k.audit.records.slice(-2)).toMatchObject([
      { actor: 'U0ONCALL', action: 'outside.revert', result: 'denied', detail: expect.stringContaining(alert.id) },
      { actor: 'U0ALICE', action: 'outside.accept', result: 'denied', detail: expect.stringContaining(alert.id) },
    ]);
  });

  it('accept is for deployers; the new state becomes known; forged values are refused and audited', async () => {
    const alert = await moved();
    await expect(k.actions['outside.accept'](click('outside.accept', alert.id, 'U0ONCALL'))).rejects.toMatchObject({
      code: 'not-permitted',
    });
    await k.actions['outside.accept'](click('outside.accept', alert.id, 'U0ALICE'));
    expect(k.audit.records.at(-1)).toMatchObject({ actor: 'U0ALICE', action: 'outside.accept', result: 'ok' });
    expect((await k.aliases.recall('orders-api', 'prod')).written?.state.routing).toEqual({ primary: '3' });
    await expect(
      k.actions['outside.accept'](click('outside.accept', 'xforgedforgedforg', 'U0ALICE')),
    ).rejects.toMatchObject({
      code: 'unknown-button',
    });
    expect(k.audit.records.at(-1)).toMatchObject({
      action: 'denied',
      detail: expect.stringContaining('xforgedforgedforg'),
    });
  });
});
