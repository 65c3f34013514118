/** What every AlertStore must do (Redis and the in-memory fake). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SeenState } from '../../../src/domain/alarm-transition.js';
import type { AlertFacts } from '../../../src/domain/alert.js';
import type { AlertStore } from '../../../src/ports.js';
import { alertThreadContract } from './alert-thread.case.js';

export interface AlertStoreSubject {
  readonly store: AlertStore;
  /** Another replica's view of the same store. */
  replica(): Promise<AlertStore>;
}

export function facts(overrides: Partial<AlertFacts> = {}): AlertFacts {
  return {
    alarm: 'payments-api-errors',
    fn: 'payments-api',
    reason: 'Errors (sum over 1 min) was 25, above the threshold of 10.',
    since: '2026-11-26T14:00:00.000Z',
    firstSight: false,
    channel: 'C0PAYMENTS',
    raisedAt: '2026-11-26T14:00:05.000Z',
    context: { alias: 'prod', routing: { primary: '42' }, rollback: { version: '41' } },
    ...overrides,
  };
}

const OK: SeenState = { state: 'OK', since: 1_000 };
const ALARM: SeenState = { state: 'ALARM', since: 2_000 };
const OK_AGAIN: SeenState = { state: 'OK', since: 3_000 };
const NOW = new Date('2026-11-26T14:00:06.000Z');
/** Late enough for every message of these tests to be due. */
const LATER = new Date('2026-11-27T00:00:00.000Z');
const TAKEOVER = 60_000;

export function alertStoreContract(name: string, make: () => Promise<AlertStoreSubject>): void {
  alertThreadContract(name, make);
  describe(`AlertStore contract: ${name}`, () => {
    let s: AlertStoreSubject;
    let store: AlertStore;
    beforeEach(async () => {
      s = await make();
      store = s.store;
    });

    async function raise(alarm = 'payments-api-errors', from: SeenState | undefined = OK) {
      if (from) await store.record(alarm, undefined, from, { kind: 'none' });
      const result = await store.record(alarm, from, ALARM, { kind: 'alert', facts: facts({ alarm }) });
      if (!result.alert) throw new Error('no alert raised');
      return result.alert;
    }

    it('knows no state of an alarm it never saw, and remembers the ones recorded', async () => {
      expect((await store.seen(['a', 'b'])).size).toBe(0);
      expect(await store.record('a', undefined, OK, { kind: 'none' })).toEqual({
        recorded: true,
        resolved: [],
        noted: [],
      });
      expect([...(await store.seen(['a', 'b'])).entries()]).toEqual([['a', OK]]);
    });

    it('records a change only from the state the caller saw (compare-and-set)', async () => {
      await store.record('a', undefined, OK, { kind: 'none' });
      expect((await store.record('a', undefined, ALARM, { kind: 'alert', facts: facts() })).recorded).toBe(false);
      expect((await store.record('a', ALARM, OK_AGAIN, { kind: 'none' })).recorded).toBe(false);
      expect((await store.seen(['a'])).get('a')).toEqual(OK);
      expect(await store.undelivered(LATER, 10)).toEqual([]);
    });

    it('of many replicas recording the same transition at once, exactly one raises the alert', async () => {
      await store.record('a', undefined, OK, { kind: 'none' });
      const replicas = [store, ...(await Promise.all(Array.from({ length: 9 }, () => s.replica())))];
      const results = await Promise.all(
        replicas.map((r) => r.record('a', OK, ALARM, { kind: 'alert', facts: facts({ alarm: 'a' }) })),
      );
      expect(results.filter((r) => r.recorded)).toHaveLength(1);
      expect(await store.undelivered(LATER, 10)).toHaveLength(1);
    });

    it('a raised alert has an ID, its facts, and its post due', async () => {
      const alert = await raise();
      expect(alert.id).toMatch(/^[a-z0-9]{8,64}$/);
      expect(alert).toMatchObject({ ...facts(), undelivered: ['post'], count: 1, notes: [] });
      expect(alert.lastAlarmAt).toBe(facts().since);
      expect(alert.ref).toBeUndefined();
      expect(await store.get(alert.id)).toMatchObject({ id: alert.id, alarm: 'payments-api-errors' });
      expect((await store.undelivered(LATER, 10)).map((a) => a.id)).toEqual([alert.id]);
    });

    it('lists undelivered alerts oldest first, up to the limit', async () => {
      await store.record('b', undefined, ALARM, {
        kind: 'alert',
        facts: facts({ alarm: 'b', raisedAt: '2026-11-26T14:00:09.000Z' }),
      });
      await store.record('a', undefined, ALARM, {
        kind: 'alert',
        facts: facts({ alarm: 'a', raisedAt: '2026-11-26T14:00:01.000Z' }),
      });
      expect((await store.undelivered(LATER, 10)).map((a) => a.alarm)).toEqual(['a', 'b']);
      expect((await store.undelivered(LATER, 1)).map((a) => a.alarm)).toEqual(['a']);
    });

    it('one poller takes a message; another takes it over only with a newer token, after the takeover time', async () => {
      const { id } = await raise();
      expect(await store.take(id, 'post', 5, NOW, TAKEOVER)).toBe(true);
      expect(await store.take(id, 'post', 5, NOW, TAKEOVER)).toBe(false);
      expect(await store.take(id, 'post', 6, new Date(NOW.getTime() + TAKEOVER - 1), TAKEOVER)).toBe(false);
      const later = new Date(NOW.getTime() + TAKEOVER);
      expect(await store.take(id, 'post', 4, later, TAKEOVER)).toBe(false);
      expect(await store.take(id, 'post', 6, later, TAKEOVER)).toBe(true);
    });

    it('a message given back is due again, but only its taker can give it back', async () => {
      const { id } = await raise();
      await store.take(id, 'post', 5, NOW, TAKEOVER);
      await store.giveBack(id, 'post', 4, NOW);
      expect(await store.take(id, 'post', 7, NOW, TAKEOVER)).toBe(false);
      await store.giveBack(id, 'post', 5, NOW);
      expect(await store.take(id, 'post', 7, NOW, TAKEOVER)).toBe(true);
    });

    it('a message given back is due again only from its retry time, and the failure is counted', async () => {
      const { id, failures } = await raise();
      expect(failures).toBe(0);
      await store.take(id, 'post', 5, NOW, TAKEOVER);
      const retryAt = new Date(NOW.getTime() + 60_000);
      await store.giveBack(id, 'post', 5, retryAt);
      expect(await store.undelivered(new Date(retryAt.getTime() - 1), 10)).toEqual([]);
      expect(await store.undelivered(retryAt, 10)).toMatchObject([{ id, failures: 1 }]);
      // A newer alert is listed first while the failing one waits: it cannot crowd new ones out.
      const fresh = await store.record('b', undefined, ALARM, {
        kind: 'alert',
        facts: facts({ alarm: 'b', raisedAt: NOW.toISOString() }),
      });
      expect((await store.undelivered(NOW, 10)).map((a) => a.id)).toEqual([fresh.alert?.id]);
      // A resolution does not cut the wait short.
      await store.record('payments-api-errors', ALARM, OK_AGAIN, {
        kind: 'resolve',
        at: NOW.toISOString(),
        reason: 'r',
        due: NOW.toISOString(),
      });
      expect((await store.undelivered(NOW, 10)).map((a) => a.id)).toEqual([fresh.alert?.id]);
    });

    it('a delivered post keeps where the message is, and the alert leaves the undelivered list', async () => {
      const { id } = await raise();
      await store.take(id, 'post', 1, NOW, TAKEOVER);
      await store.delivered(id, 'post', { channel: 'C0PAYMENTS', ts: '1.000001' });
      const alert = await store.get(id);
      expect(alert).toMatchObject({ ref: { channel: 'C0PAYMENTS', ts: '1.000001' }, undelivered: [] });
      expect(await store.undelivered(LATER, 10)).toEqual([]);
      expect(await store.take(id, 'post', 2, new Date(NOW.getTime() + TAKEOVER), TAKEOVER)).toBe(false);
    });

    it('OK resolves the open alerts of that alarm only, each due for a reply after its post', async () => {
      const first = await raise('a');
      const other = await raise('b');
      const result = await store.record('a', ALARM, OK_AGAIN, {
        kind: 'resolve',
        at: '2026-11-26T14:05:00.000Z',
        reason: 'back',
        due: NOW.toISOString(),
      });
      expect(result.recorded).toBe(true);
      expect(result.resolved.map((a) => a.id)).toEqual([first.id]);
      expect(await store.get(first.id)).toMatchObject({
        resolved: { at: '2026-11-26T14:05:00.000Z', reason: 'back' },
        undelivered: ['post', 'thread'],
        notes: [{ seq: 1, kind: 'resolved', at: '2026-11-26T14:05:00.000Z', reason: 'back' }],
      });
      expect((await store.get(other.id))?.resolved).toBeUndefined();
      // The reply goes in the alert's thread: not before the alert itself is posted.
      expect(await store.take(first.id, 'thread', 1, NOW, TAKEOVER)).toBe(false);
      await store.take(first.id, 'post', 1, NOW, TAKEOVER);
      await store.delivered(first.id, 'post', { channel: 'C0PAYMENTS', ts: '1.1' });
      expect(await store.take(first.id, 'thread', 1, NOW, TAKEOVER)).toBe(true);
      await store.delivered(first.id, 'thread', 1);
      expect(await store.get(first.id)).toMatchObject({ undelivered: [], notes: [] });
      expect((await store.undelivered(LATER, 10)).map((a) => a.id)).toEqual([other.id]);
      const again = await store.record('a', OK_AGAIN, ALARM, { kind: 'none' });
      expect(again.resolved).toEqual([]);
    });

    it('a resolution raised after the alert was delivered brings it back to the undelivered list', async () => {
      const { id } = await raise();
      await store.take(id, 'post', 1, NOW, TAKEOVER);
      await store.delivered(id, 'post', { channel: 'C0PAYMENTS', ts: '1.1' });
      await store.record('payments-api-errors', ALARM, OK_AGAIN, {
        kind: 'resolve',
        at: NOW.toISOString(),
        reason: 'y',
        due: NOW.toISOString(),
      });
      expect((await store.undelivered(NOW, 10)).map((a) => [a.id, a.undelivered])).toEqual([[id, ['thread']]]);
    });

    it('decisions: acknowledged once, rolled back once, no acknowledgement after a rollback', async () => {
      const { id } = await raise();
      const ack = await store.decide(id, { kind: 'ack', by: 'U0ALICE', at: 't1' });
      expect(ack).toMatchObject({ decided: true, alert: { ack: { by: 'U0ALICE', at: 't1' } } });
      expect((await store.decide(id, { kind: 'ack', by: 'U0BOB', at: 't2' })).decided).toBe(false);
      const rollback = await store.decide(id, { kind: 'rollback', by: 'U0ONCALL', at: 't3', to: '41', auditId: '9' });
      expect(rollback).toMatchObject({
        decided: true,
        alert: { rolledBack: { by: 'U0ONCALL', to: '41', auditId: '9' } },
      });
      const twice = await store.decide(id, { kind: 'rollback', by: 'U0BOB', at: 't4', to: '41' });
      expect(twice).toMatchObject({ decided: false, alert: { rolledBack: { by: 'U0ONCALL' } } });
      const fresh = await raise('c');
      await store.decide(fresh.id, { kind: 'rollback', by: 'U0ONCALL', at: 't', to: '41' });
      expect((await store.decide(fresh.id, { kind: 'ack', by: 'U0ALICE', at: 't' })).decided).toBe(false);
    });

    it('every change moves the revision', async () => {
      const { id, rev } = await raise();
      await store.decide(id, { kind: 'ack', by: 'U0ALICE', at: 't1' });
      const acked = (await store.get(id))?.rev ?? 0;
      expect(acked).toBeGreaterThan(rev);
      await store.take(id, 'post', 1, NOW, TAKEOVER);
      await store.delivered(id, 'post', { channel: 'C', ts: '1' });
      expect((await store.get(id))?.rev).toBeGreaterThan(acked);
    });

    it('knows nothing of IDs it never issued', async () => {
      for (const id of ['nope', 'al', '../alarm:seen', 'alaaaaaaaaaaaaaaaa', '']) {
        expect(await store.get(id)).toBeUndefined();
        expect(await store.decide(id, { kind: 'ack', by: 'U0ALICE', at: 't' })).toEqual({ decided: false });
      }
    });
  });
}
