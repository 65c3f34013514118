/** What every OutsideStore must do (Redis and the in-memory fake): one contract suite for both. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { FunctionWatch } from '../../../src/domain/outside.js';
import type { OutsideFacts } from '../../../src/domain/outside-alert.js';
import type { OutsideStore } from '../../../src/ports.js';

const T0 = new Date('2026-12-04T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const state: FunctionWatch = { aliases: { prod: { routing: { primary: '3' }, revisionId: 'r1' } }, newestVersion: 3 };
const moved: OutsideFacts = {
  fn: 'payments-api',
  change: { kind: 'alias-moved', alias: 'prod', before: { primary: '3' }, after: { primary: '4' }, revisionId: 'r2' },
  detectedAt: T0.toISOString(),
  channel: 'C0ALERTS',
  mode: 'alert',
  botSet: { primary: '3' },
};
const note: OutsideFacts = { ...moved, change: { kind: 'version-published', version: '5', description: 'hand-made' } };

export function outsideStoreContract(name: string, make: () => Promise<OutsideStore>): void {
  describe(`OutsideStore contract: ${name}`, () => {
    let store: OutsideStore;
    beforeEach(async () => {
      store = await make();
    });

    it('a function never watched has revision 0; a recorded state comes back with the next revision', async () => {
      expect(await store.watch('payments-api')).toEqual({ rev: 0 });
      expect(await store.record('payments-api', 0, state, [], T0)).toEqual({ recorded: true, alerts: [] });
      expect(await store.watch('payments-api')).toEqual({ state, rev: 1 });
    });

    it('records a change once: the second watcher, on the same revision, loses', async () => {
      await store.record('payments-api', 0, state, [], T0);
      const first = await store.record('payments-api', 1, state, [moved], T0);
      const second = await store.record('payments-api', 1, state, [moved], T0);
      expect(first.recorded).toBe(true);
      expect(first.alerts).toHaveLength(1);
      expect(first.alerts[0]).toMatchObject({
        ...moved,
        who: { state: 'looking' },
        id: expect.stringMatching(/^x[a-z2-9]{16}$/),
      });
      expect(second).toEqual({ recorded: false, alerts: [] });
    });

    it('posts each alert once: taken under a fencing token, taken over only from an older token after a while', async () => {
      const { alerts } = await store.record('payments-api', 0, state, [moved, note], T0);
      const [alert] = alerts;
      if (!alert) throw new Error('no alert');
      expect((await store.undelivered(T0, 10)).map((a) => a.id).sort()).toEqual(alerts.map((a) => a.id).sort());
      expect(await store.take(alert.id, 1, T0, 120_000)).toBe(true);
      expect(await store.take(alert.id, 1, T0, 120_000)).toBe(false);
      expect(await store.take(alert.id, 2, later(60_000), 120_000)).toBe(false);
      expect(await store.take(alert.id, 2, later(120_000), 120_000)).toBe(true);
      await store.delivered(alert.id, { channel: 'C0ALERTS', ts: '1.2' });
      expect(await store.take(alert.id, 3, later(999_999), 120_000)).toBe(false);
      expect((await store.get(alert.id))?.ref).toEqual({ channel: 'C0ALERTS', ts: '1.2' });
      expect((await store.undelivered(later(999_999), 10)).map((a) => a.id)).not.toContain(alert.id);
    });

    it('a post that failed is due again from its retry time, if its token still had it', async () => {
      const [alert] = (await store.record('payments-api', 0, state, [moved], T0)).alerts;
      if (!alert) throw new Error('no alert');
      await store.take(alert.id, 1, T0, 120_000);
      // Another token cannot give it back: it stays taken by token 1.
      await store.giveBack(alert.id, 2, later(1000));
      expect(await store.take(alert.id, 3, later(5000), 120_000)).toBe(false);
      await store.giveBack(alert.id, 1, later(15_000));
      expect(await store.undelivered(later(5000), 10)).toEqual([]);
      expect((await store.undelivered(later(15_000), 10)).map((a) => a.id)).toEqual([alert.id]);
    });

    it('looks up who for alerts, not for notes; the first answer stands', async () => {
      const { alerts } = await store.record('payments-api', 0, state, [moved, note], T0);
      const [alert, noted] = alerts;
      if (!alert || !noted) throw new Error('no alerts');
      expect((await store.looking(10)).map((a) => a.id)).toEqual([alert.id]);
      expect((await store.get(noted.id))?.who.state).toBe('unknown');
      const identity = { arn: 'arn:aws:iam::000000000000:user/mallory', at: T0.toISOString() };
      expect(await store.identify(alert.id, { state: 'found', identity })).toBe(true);
      expect(await store.identify(alert.id, { state: 'unknown', why: 'late' })).toBe(false);
      expect(await store.looking(10)).toEqual([]);
      expect((await store.get(alert.id))?.who).toEqual({ state: 'found', identity });
    });

    it('a revert or an accept, once and never both; notes of a failed revert and a paused rollout', async () => {
      const [alert] = (await store.record('payments-api', 0, state, [moved], T0)).alerts;
      if (!alert) throw new Error('no alert');
      const paused = await store.decide(alert.id, { kind: 'paused', rollout: 'oabc' });
      expect(paused.alert?.pausedRollout).toBe('oabc');
      const reverted = await store.decide(alert.id, {
        kind: 'revert',
        by: 'U0ONCALL',
        at: T0.toISOString(),
        to: { primary: '3' },
      });
      expect(reverted).toMatchObject({ decided: true, alert: { reverted: { by: 'U0ONCALL', to: { primary: '3' } } } });
      const accepted = await store.decide(alert.id, { kind: 'accept', by: 'U0ALICE', at: T0.toISOString() });
      expect(accepted.decided).toBe(false);
      expect(accepted.alert?.accepted).toBeUndefined();
      expect((await store.decide('xnosuchalertxxxxx', { kind: 'accept', by: 'U0ALICE', at: '' })).decided).toBe(false);
      expect(await store.get('../not-an-id')).toBeUndefined();
    });

    it('remembers the versions the bot published', async () => {
      expect(await store.publishedVersions('payments-api')).toEqual(new Set());
      await store.published('payments-api', '5');
      await store.published('payments-api', '6');
      expect(await store.publishedVersions('payments-api')).toEqual(new Set(['5', '6']));
    });
  });
}
