/**
 * Quieter alerts (issue 15): an alarm that comes back within realert_after reopens its alert
 * instead of posting a new one; one that goes to INSUFFICIENT_DATA says so in the thread. Over
 * the in-memory fakes with a fake clock; the alarm's own times move by hand, as CloudWatch's do.
 */
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../src/adapters/slack/render/notices.js';
import type { AlarmStateValue } from '../../../src/domain/alarm.js';
import { episodeOf, noteWords } from '../../../src/domain/alarm-repeat.js';
import { offersAck, rollbackOffer } from '../../../src/domain/alert.js';
import type { SentMessage } from '../../fakes/fake-notifier.js';
import { type AlarmRig, alarmRig, alice } from './alarm-rig.js';

const ordersProd = { fn: 'orders-api', alias: 'prod' };
const T0 = Date.parse('2026-11-26T13:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** orders-api:prod went 1 → 2 by Alice; orders-errors has been OK since T0 and the bot has seen it. */
async function deployed() {
  const rig = alarmRig();
  await rig.release.promote(alice, ordersProd, '2');
  rig.source.set('orders-errors', ordersProd, 'OK', T0);
  const poller = rig.poller();
  await poller.sweep();
  /** The alarm moves at `at` (CloudWatch's time); the poller sees it at its next sweep. */
  const move = async (state: AlarmStateValue, at: number) => {
    rig.source.set('orders-errors', ordersProd, state, at, state === 'ALARM' ? 25 : 0);
    return poller.sweep();
  };
  return { rig, poller, move };
}

const audits = (rig: AlarmRig, action: string) => rig.audit.records.filter((r) => r.action === action);

function onlyPost(rig: AlarmRig) {
  expect(rig.notifier.posts).toHaveLength(1);
  const post = rig.notifier.posts[0] as SentMessage;
  return { post, alert: rig.alertOf(post.notice), replies: rig.notifier.replies(post.ref.ts) };
}

/** Each reply's notes, as their kinds. */
const threadOf = (replies: SentMessage[]) =>
  replies.map((r) => (r.notice.kind === 'alarm-thread' ? r.notice.notes.map((n) => n.kind) : []));

describe('an alarm back in ALARM within realert_after', () => {
  it('reopens its resolved alert: one message, updated with the count, a reply, an audit record', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    await move('OK', T0 + 2 * MIN);
    const report = await move('ALARM', T0 + 5 * MIN);
    expect(report).toMatchObject({ raised: 0, reopened: 1 });
    const { post, alert, replies } = onlyPost(rig);
    expect(alert).toMatchObject({ count: 2, since: iso(T0 + MIN), lastAlarmAt: iso(T0 + 5 * MIN) });
    expect(alert.resolved).toBeUndefined();
    expect(episodeOf(alert)).toEqual({ kind: 'flapping', count: 2, spanMs: 4 * MIN });
    expect(post.updates).toBe(2);
    expect(threadOf(replies)).toEqual([['resolved'], ['reopened']]);
    const reply = replies[1]?.notice;
    if (reply?.kind !== 'alarm-thread') throw new Error('no reply');
    expect(noteWords(alert.alarm, alert.since, reply.notes[0] as never)).toBe(
      'orders-errors is back in ALARM — 2nd time in 4 min: flapping',
    );
    expect(audits(rig, 'alarm.alert').map((r) => [r.request, r.detail])).toEqual([
      [alert.id, 'alarm orders-errors: Errors (sum over 1 min) was 25, above the threshold of 10.'],
      [
        alert.id,
        'alarm orders-errors back in ALARM, alert reopened (2nd time in 4 min: flapping): Errors (sum over 1 min) was 25, above the threshold of 10.',
      ],
    ]);
    expect(audits(rig, 'alarm.resolve')).toHaveLength(1);
    // A rollout watching the alarm hears of every return, as of the first.
    expect(rig.told).toEqual(['orders-api:prod orders-errors', 'orders-api:prod orders-errors']);
  });

  it('ALARM/OK five times in three minutes: one alert, in ALARM 5 times; the last OK resolves it', async () => {
    const { rig, move } = await deployed();
    for (let k = 0; k < 5; k++) {
      await move('ALARM', T0 + MIN + k * 40_000);
      await move('OK', T0 + MIN + k * 40_000 + 20_000);
    }
    const { alert, replies } = onlyPost(rig);
    expect(alert).toMatchObject({ count: 5, resolved: { at: iso(T0 + MIN + 180_000) } });
    expect(episodeOf(alert)).toEqual({ kind: 'flapping', count: 5, spanMs: 160_000 });
    expect(threadOf(replies).flat()).toEqual([
      'resolved',
      ...Array.from({ length: 4 }, () => ['reopened', 'resolved']).flat(),
    ]);
    expect(audits(rig, 'alarm.alert')).toHaveLength(5);
    expect(audits(rig, 'alarm.resolve')).toHaveLength(5);
  });

  it('the window runs from the last return: a slow flap keeps its one alert', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    await move('OK', T0 + 2 * MIN);
    await move('ALARM', T0 + 9 * MIN);
    await move('OK', T0 + 10 * MIN);
    await move('ALARM', T0 + 18 * MIN);
    expect(onlyPost(rig).alert).toMatchObject({ count: 3, lastAlarmAt: iso(T0 + 18 * MIN) });
  });

  it('flapping faster than the poll (the OK fell between two polls) is counted the same', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    const report = await move('ALARM', T0 + MIN + 40_000);
    expect(report).toMatchObject({ raised: 0, reopened: 1 });
    const { alert, replies } = onlyPost(rig);
    expect(alert.count).toBe(2);
    expect(threadOf(replies)).toEqual([['reopened']]);
  });

  it('two pollers sweeping the same return at once reopen the alert once', async () => {
    const { rig, poller, move } = await deployed();
    await move('ALARM', T0 + MIN);
    await move('OK', T0 + 2 * MIN);
    rig.source.set('orders-errors', ordersProd, 'ALARM', T0 + 3 * MIN);
    const b = rig.poller('b');
    const fenceA = await poller.fence();
    const fenceB = { token: fenceA.token + 1, stillLeader: async () => true };
    await Promise.all([poller.watch.sweep(fenceA, 30_000), b.watch.sweep(fenceB, 30_000)]);
    const { alert, replies } = onlyPost(rig);
    expect(alert.count).toBe(2);
    expect(threadOf(replies)).toEqual([['resolved'], ['reopened']]);
    expect(audits(rig, 'alarm.alert')).toHaveLength(2);
  });

  it('a reply that fails is retried at the next poll and goes out once, after the message shows the count', async () => {
    const { rig, move, poller } = await deployed();
    await move('ALARM', T0 + MIN);
    rig.notifier.failNextPosts(1);
    await move('ALARM', T0 + 2 * MIN);
    expect(onlyPost(rig).alert.count).toBe(2);
    expect(onlyPost(rig).replies).toHaveLength(0);
    await poller.sweep();
    await poller.sweep();
    expect(threadOf(onlyPost(rig).replies)).toEqual([['reopened']]);
  });
});

describe('an alarm back in ALARM after realert_after', () => {
  it('is a new incident: a new alert, which says so, and the old one is left as it was', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    await move('OK', T0 + 2 * MIN);
    const report = await move('ALARM', T0 + 11 * MIN + 1);
    expect(report).toMatchObject({ raised: 1, reopened: 0 });
    expect(rig.notifier.posts).toHaveLength(2);
    const [first, second] = rig.notifier.posts.map((p) => rig.alertOf(p.notice));
    expect(first).toMatchObject({ count: 1, resolved: { at: iso(T0 + 2 * MIN) } });
    expect(second?.previous).toEqual({ id: first?.id, lastAlarmAt: iso(T0 + MIN), realertAfterMs: 10 * MIN });
    expect(episodeOf(second as never)).toEqual({ kind: 'new-incident', gapMs: 10 * MIN + 1, realertAfterMs: 10 * MIN });
    expect(audits(rig, 'alarm.alert').at(-1)?.detail).toBe(
      'alarm orders-errors (new incident): Errors (sum over 1 min) was 25, above the threshold of 10.',
    );
  });
});

describe('an alarm going from ALARM to INSUFFICIENT_DATA', () => {
  it('says so in the thread; the alert stays open, buttons and all; no audit record', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    const records = rig.audit.records.length;
    const report = await move('INSUFFICIENT_DATA', T0 + 3 * MIN);
    expect(report).toMatchObject({ noted: 1, resolved: 0 });
    const { post, alert, replies } = onlyPost(rig);
    expect(alert.resolved).toBeUndefined();
    expect(alert.noData?.at).toBe(iso(T0 + 3 * MIN));
    expect(rollbackOffer(alert)).toEqual({ alias: 'prod', version: '1' });
    expect(offersAck(alert)).toBe(true);
    expect(post.updates).toBe(1);
    expect(threadOf(replies)).toEqual([['no-data']]);
    expect(rig.audit.records).toHaveLength(records);

    // Back in ALARM soon after: the same alert, once more; then OK closes it.
    await move('ALARM', T0 + 4 * MIN);
    expect(onlyPost(rig).alert).toMatchObject({ count: 2 });
    expect(onlyPost(rig).alert.noData).toBeUndefined();
    await move('OK', T0 + 5 * MIN);
    expect(onlyPost(rig).alert.resolved).toBeDefined();
    expect(threadOf(onlyPost(rig).replies)).toEqual([['no-data'], ['reopened'], ['resolved']]);
  });

  it('then OK resolves the alert as usual', async () => {
    const { rig, move } = await deployed();
    await move('ALARM', T0 + MIN);
    await move('INSUFFICIENT_DATA', T0 + 2 * MIN);
    const report = await move('OK', T0 + 3 * MIN);
    expect(report).toMatchObject({ resolved: 1 });
    expect(threadOf(onlyPost(rig).replies)).toEqual([['no-data'], ['resolved']]);
  });
});

describe('the buttons of a reopened alert', () => {
  it('acknowledged before: the acknowledgement stays, the reply names who took it; Roll back works again', async () => {
    const { rig, move, poller } = await deployed();
    await move('ALARM', T0 + MIN);
    const id = onlyPost(rig).alert.id;
    const click = (action: 'alarm.ack' | 'alarm.rollback', actor: string) => {
      const c = { action, actor, value: id, requestId: `rq-${actor}-${rig.audit.records.length}` };
      return action === 'alarm.ack' ? poller.actions.acknowledge(c) : poller.actions.rollback(c);
    };
    await click('alarm.ack', 'U0ALICE');
    await move('OK', T0 + 2 * MIN);
    // Closed while OK: the click changes nothing.
    await expect(click('alarm.rollback', 'U0ONCALL')).rejects.toThrow(/back to OK, so this alert is closed/);
    await move('ALARM', T0 + 3 * MIN);
    const { alert, replies } = onlyPost(rig);
    expect(alert.ack?.by).toBe('U0ALICE');
    expect(offersAck(alert)).toBe(false);
    const reply = renderNotice(replies[1]?.notice ?? { kind: 'text', text: '' });
    expect(reply.text).toBe('orders-errors is back in ALARM — 2nd time in 2 min: flapping');
    expect(JSON.stringify(reply.blocks)).toContain('<@U0ALICE> acknowledged it');
    expect(await click('alarm.rollback', 'U0ONCALL')).toBeUndefined();
    expect(rig.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '1' });
    expect(onlyPost(rig).alert.rolledBack).toMatchObject({ by: 'U0ONCALL', to: '1' });
  });
});
