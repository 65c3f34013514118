/** What every RolloutStore must do (Redis and the in-memory fake). */
import { describe, expect, it } from 'vitest';
import type { Rollout } from '../../../src/domain/rollout.js';
import type { RolloutStore } from '../../../src/ports.js';

export function sampleRollout(id: string, alias = 'prod', overrides: Partial<Rollout> = {}): Rollout {
  return {
    id,
    plan: {
      fn: 'payments-api',
      alias,
      baseline: '3',
      canary: '4',
      schedule: { steps: [10, 100], everyMs: 60_000 },
      bakeMs: 0,
      alarms: [],
    },
    state: { phase: 'shifting', step: -1, nextAt: '2026-11-26T12:00:00.000Z' },
    startedBy: 'U0ALICE',
    request: 'r1',
    createdAt: '2026-11-26T12:00:00.000Z',
    applied: [],
    channel: 'C0DEPLOY',
    revision: 1,
    ...overrides,
  };
}

export function rolloutStoreContract(name: string, make: () => Promise<RolloutStore>): void {
  describe(`RolloutStore contract: ${name}`, () => {
    it('one live rollout per alias; another alias is free', async () => {
      const store = await make();
      expect(await store.create(sampleRollout('ro1'))).toBe(true);
      expect(await store.create(sampleRollout('ro2'))).toBe(false);
      expect(await store.create(sampleRollout('ro3', 'staging'))).toBe(true);
      expect((await store.live()).map((r) => r.id).sort()).toEqual(['ro1', 'ro3']);
    });

    it('once ended, the alias is free for a new rollout and the old one is still readable', async () => {
      const store = await make();
      const first = sampleRollout('ro4');
      await store.create(first);
      const ended = { ...first, state: { phase: 'completed' as const, at: 'x', by: 'system' }, revision: 2 };
      expect(await store.replace(first, ended)).toBe(true);
      expect(await store.create(sampleRollout('ro5'))).toBe(true);
      expect((await store.get('ro4'))?.state.phase).toBe('completed');
      expect((await store.live()).map((r) => r.id)).toEqual(['ro5']);
    });

    it('replaces only from the revision read', async () => {
      const store = await make();
      const first = sampleRollout('ro6');
      await store.create(first);
      const results = await Promise.all([
        store.replace(first, { ...first, revision: 2 }),
        store.replace(first, { ...first, revision: 2 }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
