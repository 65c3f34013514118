import { describe, expect, it } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { type AlarmRig, alarmRig, alice, TAKEOVER_MS } from './alarm-rig.js';

const ordersProd = { fn: 'orders-api', alias: 'prod' };
const T0 = Date.parse('2026-11-26T13:00:00.000Z');

/** orders-api:prod went 1 → 2 by Alice; its errors alarm has been OK since T0 and the bot has seen it. */
async function deployed(rig: AlarmRig) {
  await rig.release.promote(alice, ordersProd, '2');
  rig.source.set('orders-errors', ordersProd, 'OK', T0);
  const poller = rig.poller();
  await poller.sweep();
  return poller;
}

function auditOf(rig: AlarmRig, action: string) {
  return rig.audit.records.filter((r) => r.action === action);
}

describe('AlarmWatch: alerts', () => {
  it('OK → ALARM: one alert in the function’s channel, with the release behind it', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    expect(rig.notifier.messages).toHaveLength(0);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    const report = await poller.sweep();
    expect(report).toMatchObject({ raised: 1, sent: 1, lostLease: false });
    const [post] = rig.notifier.posts;
    expect(post?.ref.channel).toBe('C0ALERTS');
    const alert = rig.alertOf(post?.notice ?? { kind: 'text', text: '' });
    expect(alert).toMatchObject({
      alarm: 'orders-errors',
      fn: 'orders-api',
      reason: 'Errors (sum over 1 min) was 25, above the threshold of 10.',
      since: new Date(T0 + 60_000).toISOString(),
      firstSight: false,
      context: {
        alias: 'prod',
        routing: { primary: '2' },
        lastChange: { actor: 'U0ALICE', action: 'promote', from: { version: '1' }, to: { version: '2' } },
        rollback: { version: '1' },
      },
    });
    expect(auditOf(rig, 'alarm.alert')).toEqual([
      expect.objectContaining({
        actor: 'system',
        function: 'orders-api',
        alias: 'prod',
        result: 'ok',
        detail: 'alarm orders-errors: Errors (sum over 1 min) was 25, above the threshold of 10.',
        request: alert.id,
      }),
    ]);
  });

  it('is not repeated by the next poll, by a restarted bot, or by a new leader', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    await poller.sweep();
    await poller.sweep();
    rig.clock.advance(30_000);
    await rig.poller().sweep();
    rig.clock.advance(200_000);
    await rig.poller('b').sweep();
    expect(rig.notifier.posts).toHaveLength(1);
    expect(auditOf(rig, 'alarm.alert')).toHaveLength(1);
  });

  it('an alarm already in ALARM the first time the bot sees it is alerted once, and says so', async () => {
    const rig = alarmRig();
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0);
    rig.source.set('orders-throttles', ordersProd, 'OK', T0);
    rig.source.set('orders-duration', ordersProd, 'INSUFFICIENT_DATA', T0);
    await rig.poller().sweep();
    await rig.poller().sweep();
    expect(rig.notifier.posts).toHaveLength(1);
    expect(rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' })).toMatchObject({
      alarm: 'orders-errors',
      firstSight: true,
    });
  });

  it('→ OK: a reply in the alert’s thread, the message marked resolved, the resolution audited', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    await poller.sweep();
    rig.source.set('orders-errors', ordersProd, 'OK', T0 + 120_000, 0);
    const report = await poller.sweep();
    expect(report).toMatchObject({ resolved: 1, sent: 1 });
    const [post] = rig.notifier.posts;
    const alert = rig.alertOf(post?.notice ?? { kind: 'text', text: '' });
    expect(alert.resolved).toEqual({
      at: new Date(T0 + 120_000).toISOString(),
      reason: 'Errors (sum over 1 min) was 0, not above the threshold of 10.',
    });
    expect(post?.updates).toBe(1);
    const replies = rig.notifier.replies(post?.ref.ts ?? '');
    expect(replies.map((r) => r.notice.kind)).toEqual(['alarm-thread']);
    expect(auditOf(rig, 'alarm.resolve')).toEqual([
      expect.objectContaining({ actor: 'system', function: 'orders-api', alias: 'prod', request: alert.id }),
    ]);
    await poller.sweep();
    expect(rig.notifier.messages).toHaveLength(2);
  });

  it('back in ALARM after a gap with no data longer than realert_after is a new alert; OK then resolves both', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    await poller.sweep();
    rig.source.set('orders-errors', ordersProd, 'INSUFFICIENT_DATA', T0 + 120_000);
    await poller.sweep();
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 20 * 60_000);
    await poller.sweep();
    rig.source.set('orders-errors', ordersProd, 'OK', T0 + 21 * 60_000);
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(2);
    expect(rig.store.all().every((a) => a.resolved)).toBe(true);
    // The first alert's thread: no data, then resolved; the second's: resolved.
    expect(rig.notifier.messages.filter((m) => m.thread)).toHaveLength(3);
  });

  it('an OK that comes before Slack took the alert: the alert goes out (resolved), then the reply', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    rig.notifier.failNextPosts(1);
    await poller.sweep();
    expect(rig.notifier.messages).toHaveLength(0);
    rig.source.set('orders-errors', ordersProd, 'OK', T0 + 120_000);
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(1);
    expect(rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' }).resolved).toBeDefined();
    expect(rig.notifier.replies(rig.notifier.posts[0]?.ref.ts ?? '')).toHaveLength(1);
  });
});

describe('AlarmWatch: exactly once across replicas', () => {
  it('two pollers sweeping at the same moment raise and post one alert', async () => {
    const rig = alarmRig();
    await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    const a = rig.poller('a');
    const b = rig.poller('b');
    // Both believe they lead (b's lease check is stubbed): only the store keeps them apart.
    const fenceA = await a.fence();
    const fenceB = { token: fenceA.token + 1, stillLeader: async () => true };
    await Promise.all([a.watch.sweep(fenceA, 30_000), b.watch.sweep(fenceB, 30_000)]);
    expect(rig.notifier.posts).toHaveLength(1);
    expect(rig.store.all()).toHaveLength(1);
  });

  it('a poller that lost its lease posts nothing; the new leader does', async () => {
    const rig = alarmRig();
    const old = await deployed(rig);
    const fence = await old.fence();
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    rig.clock.advance(100_000);
    const successor = rig.poller('b');
    await successor.fence();
    const report = await old.watch.sweep(fence, 30_000);
    expect(report.lostLease).toBe(true);
    expect(rig.notifier.messages).toHaveLength(0);
    await successor.sweep();
    expect(rig.notifier.posts).toHaveLength(1);
  });

  it('a poller that loses its lease during a storm stops posting; the new leader posts the rest, none twice', async () => {
    const rig = alarmRig();
    const a = await deployed(rig);
    for (let i = 0; i < 10; i++) rig.source.set(`orders-${i}`, ordersProd, 'ALARM', T0 + 60_000);
    let posted = 0;
    rig.notifier.duringPost = async () => {
      // The lease expires after the fourth post, and b takes it.
      if (++posted === 4) {
        rig.clock.advance(100_000);
        await rig.lease.acquire('alarm-poller', 'b', 90_000);
      }
    };
    const report = await a.sweep(3_600_000);
    expect(report.lostLease).toBe(true);
    expect(rig.notifier.posts).toHaveLength(4);
    rig.notifier.duringPost = undefined;
    await rig.poller('b').sweep();
    expect(rig.notifier.posts).toHaveLength(10);
    expect(new Set(rig.notifier.posts.map((p) => rig.alertOf(p.notice).alarm)).size).toBe(10);
  });

  it('a message taken by a poller that died is sent by the next leader after the takeover time, once', async () => {
    const rig = alarmRig();
    const a = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    // a records the alert and takes its post, then dies before sending it.
    rig.notifier.duringPost = async () => {
      throw new Error('process killed');
    };
    const fenceA = await a.fence();
    await a.watch.sweep(fenceA, 30_000).catch(() => {});
    const [alert] = rig.store.all();
    await rig.store.take(alert?.id ?? '', 'post', fenceA.token, rig.clock.now(), TAKEOVER_MS);
    rig.notifier.duringPost = undefined;
    rig.clock.advance(100_000);
    const b = rig.poller('b');
    await b.sweep();
    expect(rig.notifier.posts).toHaveLength(0);
    rig.clock.advance(TAKEOVER_MS);
    await b.sweep();
    await b.sweep();
    expect(rig.notifier.posts).toHaveLength(1);
  });
});

describe('AlarmWatch: failures and storms', () => {
  it('a failed post is retried at the next poll, then after a growing wait, and goes out once', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    rig.notifier.failNextPosts(2);
    await poller.sweep();
    await poller.sweep();
    // Failed twice: it waits 15 s before the next try.
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(0);
    rig.clock.advance(15_000);
    await poller.sweep();
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(1);
    expect(rig.warnings.filter((w) => w.includes('not sent'))).toHaveLength(2);
  });

  it('a channel the bot cannot post to never holds up the alerts of other channels', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.notifier.duringPost = async (channel) => {
      if (channel === 'C0PAYMENTS') throw new Error('not_in_channel');
    };
    for (let i = 0; i < 5; i++) rig.source.set(`payments-${i}`, { fn: 'payments-api', alias: 'prod' }, 'ALARM', T0);
    for (let poll = 0; poll < 6; poll++) {
      await poller.sweep();
      rig.clock.advance(30_000);
    }
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    await poller.sweep();
    expect(rig.notifier.posts.map((p) => rig.alertOf(p.notice).alarm)).toEqual(['orders-errors']);
    // Each failing alert was tried 5 times in 3 minutes (at 0, 30, 60, 90 and 150 s), not 6.
    expect(
      rig.store
        .all()
        .filter((a) => a.alarm.startsWith('payments-'))
        .map((a) => a.failures),
    ).toEqual([5, 5, 5, 5, 5]);
  });

  it('CloudWatch not answering in a place: the poll reports it, and the next poll catches up', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    rig.source.failNext();
    const report = await poller.sweep();
    expect(report.failed).toEqual(['own/us-east-1: CloudWatch DescribeAlarms failed (Throttling 400): Rate exceeded']);
    expect(rig.notifier.posts).toHaveLength(0);
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(1);
  });

  it('a storm of 50 alarms: one message per alarm, oldest first, across polls when one poll’s time runs out', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    for (let i = 0; i < 50; i++)
      rig.source.set(`storm-${String(i).padStart(2, '0')}`, ordersProd, 'ALARM', T0 + 60_000);
    // Each post takes 1.1 s of the poll's 5 s, as the notifier's per-channel pacing would.
    rig.notifier.duringPost = async () => rig.clock.advance(1_100);
    let polls = 0;
    while (rig.notifier.posts.length < 50 && polls < 20) {
      await poller.sweep(5_000);
      polls++;
    }
    expect(rig.notifier.posts).toHaveLength(50);
    expect(polls).toBeGreaterThan(5);
    const alarms = rig.notifier.posts.map((p) => rig.alertOf(p.notice).alarm);
    expect(new Set(alarms).size).toBe(50);
    await poller.sweep();
    expect(rig.notifier.posts).toHaveLength(50);
  });

  it('AWS not answering for the alias: the alert still goes out, and says why the routing is missing', async () => {
    const rig = alarmRig();
    const poller = await deployed(rig);
    rig.lambda.failNext('GetAlias', new BotError('aws-unavailable', 'GetAlias failed (TooManyRequestsException 429)'));
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 60_000);
    await poller.sweep();
    const alert = rig.alertOf(rig.notifier.posts[0]?.notice ?? { kind: 'text', text: '' });
    expect(alert.context.routingUnknown).toMatch(/AWS did not answer/);
    expect(alert.context.rollback).toEqual({ version: '1' });
  });
});
