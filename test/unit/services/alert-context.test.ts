import { describe, expect, it } from 'vitest';
import { alarmRig, alice } from './alarm-rig.js';

/** What an alert says about the release behind its alarm (AlertContexts, through the poller). */
const ordersProd = { fn: 'orders-api', alias: 'prod' };
const T0 = Date.parse('2026-11-26T13:00:00.000Z');

describe('which alias an alert is about, and what it rolls back to', () => {
  it('an alarm on the whole function: the policy alias changed last, and the alert says so', async () => {
    const rig = alarmRig();
    await rig.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    rig.source.set('payments-errors', { fn: 'payments-api' }, 'ALARM', T0);
    await rig.poller().sweep();
    const [post] = rig.notifier.posts;
    expect(post?.ref.channel).toBe('C0PAYMENTS');
    expect(rig.alertOf(post?.notice ?? { kind: 'text', text: '' }).context).toMatchObject({
      alias: 'staging',
      chosen: 'the alarm names no alias; this is staging, the alias of payments-api changed last',
      rollback: { version: '3' },
    });
  });

  it('an alarm on the whole function with no audited change: no rollback, and why', async () => {
    const rig = alarmRig();
    rig.source.set('payments-errors', { fn: 'payments-api' }, 'ALARM', T0);
    await rig.poller().sweep();
    const alert = rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' });
    expect(alert.context.alias).toBeUndefined();
    expect(alert.context.rollback).toEqual({
      unavailable: expect.stringMatching(/no alias of payments-api in the policy file has a change in the audit log/),
    });
  });

  it('an alias outside the policy file: shown, but no rollback', async () => {
    const rig = alarmRig();
    rig.source.set('payments-canary', { fn: 'payments-api', alias: 'canary' }, 'ALARM', T0);
    await rig.poller().sweep();
    const alert = rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' });
    expect(alert.context).toMatchObject({
      alias: 'canary',
      routing: { primary: '4' },
      rollback: { unavailable: 'payments-api:canary is not in the policy file, so the bot changes nothing on it' },
    });
  });

  it('an alias with no change in the audit log: no rollback, and how to roll back by hand', async () => {
    const rig = alarmRig();
    rig.source.set('payments-prod', { fn: 'payments-api', alias: 'prod' }, 'ALARM', T0);
    await rig.poller().sweep();
    const alert = rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' });
    expect(alert.context.rollback).toEqual({
      unavailable: 'the audit log has no earlier change of payments-api:prod; use /lambda rollback payments-api:prod V',
    });
  });

  it('an alias changed outside the bot: the version the bot had set', async () => {
    const rig = alarmRig();
    await rig.release.promote(alice, ordersProd, '2');
    rig.lambda.setAliasOutside('orders-api', 'prod', { primary: '3' });
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0);
    await rig.poller().sweep();
    const alert = rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' });
    expect(alert.context).toMatchObject({
      routing: { primary: '3' },
      drift: { expected: { primary: '2' }, found: { primary: '3' } },
      rollback: { version: '2' },
    });
  });
});
