/**
 * What every AlertStore must do of an alarm that comes back (issue 15): its latest alert
 * reopened, INSUFFICIENT_DATA noted, and the thread notes delivered once. Run by
 * alertStoreContract, so against Redis (one node and a Cluster) and the in-memory fake.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SeenState } from '../../../src/domain/alarm-transition.js';
import type { DeployContext } from '../../../src/domain/alert.js';
import type { AlertStore } from '../../../src/ports.js';
import { type AlertStoreSubject, facts } from './alert-store.case.js';

const T = Date.parse('2026-11-26T14:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const OK: SeenState = { state: 'OK', since: T - 60_000 };
const ALARM: SeenState = { state: 'ALARM', since: T };
const OK_2: SeenState = { state: 'OK', since: T + 60_000 };
const ALARM_2: SeenState = { state: 'ALARM', since: T + 120_000 };
const NO_DATA: SeenState = { state: 'INSUFFICIENT_DATA', since: T + 60_000 };
const NOW = new Date(T + 5_000);
const DUE = NOW.toISOString();
const TAKEOVER = 60_000;
const NEWER: DeployContext = { alias: 'prod', routing: { primary: '43' }, rollback: { version: '42' } };

export function alertThreadContract(name: string, make: () => Promise<AlertStoreSubject>): void {
  describe(`AlertStore contract, alarms that come back: ${name}`, () => {
    let s: AlertStoreSubject;
    let store: AlertStore;
    beforeEach(async () => {
      s = await make();
      store = s.store;
    });

    /** OK, then ALARM with an alert, posted. */
    async function raised(alarm = 'a') {
      await store.record(alarm, undefined, OK, { kind: 'none' });
      const { alert } = await store.record(alarm, OK, ALARM, { kind: 'alert', facts: facts({ alarm, since: iso(T) }) });
      if (!alert) throw new Error('no alert raised');
      await store.take(alert.id, 'post', 1, NOW, TAKEOVER);
      await store.delivered(alert.id, 'post', { channel: 'C0PAYMENTS', ts: '1.1' });
      return alert.id;
    }

    const reopen = (id: string, count: number, at: number, context = NEWER) =>
      ({ kind: 'reopen', id, count, at: iso(at), reason: 'back', context, due: DUE }) as const;

    async function deliverThread(id: string, token = 1) {
      expect(await store.take(id, 'thread', token, NOW, TAKEOVER)).toBe(true);
      const notes = (await store.get(id))?.notes ?? [];
      await store.delivered(id, 'thread', notes.at(-1)?.seq ?? 0);
    }

    it('the latest alert of an alarm is the one raised last, open or resolved', async () => {
      expect(await store.latest('a')).toBeUndefined();
      const first = await raised();
      expect((await store.latest('a'))?.id).toBe(first);
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      expect(await store.latest('a')).toMatchObject({ id: first, resolved: { reason: 'ok' } });
      const { alert } = await store.record('a', OK_2, ALARM_2, { kind: 'alert', facts: facts({ alarm: 'a' }) });
      expect((await store.latest('a'))?.id).toBe(alert?.id);
      expect(await store.latest('b')).toBeUndefined();
    });

    it('a resolved alert reopened: open again, counted, with its new ALARM and context, and a thread note due', async () => {
      const id = await raised();
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      await deliverThread(id);
      expect(await store.undelivered(NOW, 10)).toEqual([]);

      const result = await store.record('a', OK_2, ALARM_2, reopen(id, 2, ALARM_2.since));
      expect(result).toMatchObject({ recorded: true, resolved: [], noted: [] });
      expect(result.alert).toBeUndefined();
      const note = { seq: 2, kind: 'reopened', at: iso(ALARM_2.since), reason: 'back', count: 2 };
      expect(result.reopened).toMatchObject({ id, count: 2, lastAlarmAt: iso(ALARM_2.since), context: NEWER });
      expect(result.reopened).toMatchObject({ since: iso(T), undelivered: ['thread'], notes: [note] });
      expect(result.reopened?.resolved).toBeUndefined();
      expect((await store.undelivered(NOW, 10)).map((a) => a.id)).toEqual([id]);
      // Open again: the next OK resolves it.
      const ok = await store.record(
        'a',
        ALARM_2,
        { state: 'OK', since: T + 180_000 },
        {
          kind: 'resolve',
          at: iso(T + 180_000),
          reason: 'ok',
          due: DUE,
        },
      );
      expect(ok.resolved.map((a) => [a.id, a.count, a.notes.map((n) => n.kind)])).toEqual([
        [id, 2, ['reopened', 'resolved']],
      ]);
    });

    it('ALARM → INSUFFICIENT_DATA: the open alerts stay open with a note; back in ALARM clears it', async () => {
      const id = await raised('a');
      const other = await raised('b');
      const noData = await store.record('a', ALARM, NO_DATA, {
        kind: 'no-data',
        at: iso(NO_DATA.since),
        reason: 'No data for 3 periods.',
        due: DUE,
      });
      expect(noData.noted.map((a) => a.id)).toEqual([id]);
      expect(noData.resolved).toEqual([]);
      const alert = await store.get(id);
      expect(alert).toMatchObject({ noData: { at: iso(NO_DATA.since), reason: 'No data for 3 periods.' } });
      expect(alert).toMatchObject({ undelivered: ['thread'], notes: [{ seq: 1, kind: 'no-data' }] });
      expect(alert?.resolved).toBeUndefined();
      expect((await store.get(other))?.noData).toBeUndefined();
      // Still open: back in ALARM reopens it (here before the note went out: both are owed).
      const back = await store.record('a', NO_DATA, ALARM_2, reopen(id, 2, ALARM_2.since));
      expect(back.reopened?.noData).toBeUndefined();
      expect(back.reopened?.notes.map((n) => [n.seq, n.kind])).toEqual([
        [1, 'no-data'],
        [2, 'reopened'],
      ]);
    });

    it('thread notes: one reply delivers those it showed; a note recorded meanwhile is still owed', async () => {
      const id = await raised();
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      expect(await store.take(id, 'thread', 5, NOW, TAKEOVER)).toBe(true);
      // While the reply is being sent, the alarm is back: the reply stays taken by token 5.
      await store.record('a', OK_2, ALARM_2, reopen(id, 2, ALARM_2.since));
      expect(await store.take(id, 'thread', 5, NOW, TAKEOVER)).toBe(false);
      await store.delivered(id, 'thread', 1);
      const after = await store.get(id);
      expect(after).toMatchObject({ undelivered: ['thread'], notes: [{ seq: 2, kind: 'reopened' }] });
      expect((await store.undelivered(NOW, 10)).map((a) => a.id)).toEqual([id]);
      // Sending it fails once: given back by its taker, then delivered.
      expect(await store.take(id, 'thread', 6, NOW, TAKEOVER)).toBe(true);
      await store.giveBack(id, 'thread', 6, NOW);
      expect((await store.get(id))?.failures).toBe(1);
      await deliverThread(id, 7);
      expect(await store.get(id)).toMatchObject({ undelivered: [], notes: [] });
      expect(await store.undelivered(NOW, 10)).toEqual([]);
    });

    it('an alert waiting to retry its post keeps its wait when a note comes', async () => {
      await store.record('a', undefined, ALARM, { kind: 'alert', facts: facts({ alarm: 'a', raisedAt: DUE }) });
      const [alert] = await store.undelivered(NOW, 10);
      const id = alert?.id ?? '';
      await store.take(id, 'post', 1, NOW, TAKEOVER);
      const retryAt = new Date(NOW.getTime() + 60_000);
      await store.giveBack(id, 'post', 1, retryAt);
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      await store.record('a', OK_2, ALARM_2, reopen(id, 2, ALARM_2.since));
      expect(await store.undelivered(NOW, 10)).toEqual([]);
      expect(await store.undelivered(retryAt, 10)).toMatchObject([{ id, undelivered: ['post', 'thread'] }]);
    });

    it('of many replicas reopening the same alert at once, exactly one does', async () => {
      const id = await raised();
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      const replicas = [store, ...(await Promise.all(Array.from({ length: 5 }, () => s.replica())))];
      const results = await Promise.all(
        replicas.map((r) => r.record('a', OK_2, ALARM_2, reopen(id, 2, ALARM_2.since))),
      );
      expect(results.filter((r) => r.recorded)).toHaveLength(1);
      expect(await store.get(id)).toMatchObject({ count: 2, notes: [{ kind: 'resolved' }, { kind: 'reopened' }] });
      // From a state no longer current: nothing.
      expect((await store.record('a', OK_2, ALARM_2, reopen(id, 3, ALARM_2.since))).recorded).toBe(false);
      expect((await store.get(id))?.count).toBe(2);
    });

    it('acknowledgement and rollback stay on a reopened alert', async () => {
      const id = await raised();
      await store.decide(id, { kind: 'ack', by: 'U0ALICE', at: 't1' });
      await store.record('a', ALARM, OK_2, { kind: 'resolve', at: iso(OK_2.since), reason: 'ok', due: DUE });
      const { reopened } = await store.record('a', OK_2, ALARM_2, reopen(id, 2, ALARM_2.since));
      expect(reopened?.ack).toEqual({ by: 'U0ALICE', at: 't1' });
      const rollback = await store.decide(id, { kind: 'rollback', by: 'U0ONCALL', at: 't2', to: '42' });
      expect(rollback).toMatchObject({ decided: true, alert: { count: 2, rolledBack: { to: '42' } } });
    });
  });
}
