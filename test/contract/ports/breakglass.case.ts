/** What every BreakGlassStore must do (Redis and the in-memory fake). */
import { describe, expect, it } from 'vitest';
import type { BreakGlass } from '../../../src/domain/breakglass.js';
import type { BreakGlassStore } from '../../../src/ports.js';

export function sampleBreakGlass(id: string, overrides: Partial<BreakGlass> = {}): BreakGlass {
  return {
    id,
    fn: 'payments-api',
    alias: 'prod',
    action: 'promote',
    change: 'promote to v4',
    actor: 'U0ONCALL',
    reason: 'checkout failing, approver asleep',
    bypassed: [{ kind: 'approval', approvals: 1, approvers: ['approvers'] }],
    request: 'r1',
    at: '2026-11-26T12:00:00.000Z',
    reviewDueAt: '2026-11-27T12:00:00.000Z',
    reminders: 0,
    messages: [],
    revision: 1,
    ...overrides,
  };
}

export function breakGlassStoreContract(name: string, make: () => Promise<BreakGlassStore>): void {
  describe(`BreakGlassStore contract: ${name}`, () => {
    it('stores and reads back a change; an ID is created once', async () => {
      const store = await make();
      await store.create(sampleBreakGlass('b1'));
      expect(await store.get('b1')).toEqual(sampleBreakGlass('b1'));
      expect(await store.get('nope')).toBeUndefined();
      await expect(store.create(sampleBreakGlass('b1'))).rejects.toThrow();
    });

    it('replaces only from the revision read: of two concurrent reviewers, one wins', async () => {
      const store = await make();
      const first = sampleBreakGlass('b2');
      await store.create(first);
      const a = { ...first, review: { by: 'U0BOB', at: 'x' }, revision: 2 };
      const b = { ...first, review: { by: 'U0CAROL', at: 'y' }, revision: 2 };
      const results = await Promise.all([store.replace(first, a), store.replace(first, b)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get('b2'))?.review?.by).toBe(results[0] ? 'U0BOB' : 'U0CAROL');
    });

    it('lists the unreviewed, oldest first; a reviewed change leaves the list but stays readable', async () => {
      const store = await make();
      await store.create(sampleBreakGlass('b4', { at: '2026-11-26T12:02:00.000Z' }));
      await store.create(sampleBreakGlass('b3', { at: '2026-11-26T12:01:00.000Z' }));
      const mine = async () => (await store.open()).map((r) => r.id).filter((id) => id === 'b3' || id === 'b4');
      expect(await mine()).toEqual(['b3', 'b4']);
      const b3 = (await store.get('b3')) as BreakGlass;
      expect(await store.replace(b3, { ...b3, review: { by: 'U0BOB', at: 'z' }, revision: 2 })).toBe(true);
      expect(await mine()).toEqual(['b4']);
      expect((await store.get('b3'))?.review).toEqual({ by: 'U0BOB', at: 'z' });
    });
  });
}
