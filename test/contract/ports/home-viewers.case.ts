import { describe, expect, it } from 'vitest';
import type { HomeViewers } from '../../../src/ports.js';

const HOUR = 60 * 60 * 1000;

/** What every HomeViewers must do: the in-memory fake and Redis run this same suite. */
export function homeViewersContract(name: string, make: () => Promise<HomeViewers>): void {
  describe(`HomeViewers contract: ${name}`, () => {
    const t0 = Date.parse('2026-12-06T00:00:00Z');

    it('answers who opened Home since a time, each once, by their last opening', async () => {
      const viewers = await make();
      await viewers.opened('U0ALICE', new Date(t0));
      await viewers.opened('U0BOB', new Date(t0 + HOUR));
      await viewers.opened('U0ALICE', new Date(t0 + 2 * HOUR));
      expect((await viewers.since(new Date(t0 + HOUR))).sort()).toEqual(['U0ALICE', 'U0BOB']);
      expect(await viewers.since(new Date(t0 + 90 * 60 * 1000))).toEqual(['U0ALICE']);
      expect(await viewers.since(new Date(t0 + 3 * HOUR))).toEqual([]);
    });

    it('an older opening arriving late does not move someone back', async () => {
      const viewers = await make();
      await viewers.opened('U0ALICE', new Date(t0 + HOUR));
      await viewers.opened('U0ALICE', new Date(t0));
      expect(await viewers.since(new Date(t0 + HOUR))).toEqual(['U0ALICE']);
    });

    it('forgets people who have not opened Home for over a day', async () => {
      const viewers = await make();
      await viewers.opened('U0OLD', new Date(t0));
      await viewers.opened('U0NEW', new Date(t0 + 25 * HOUR));
      expect(await viewers.since(new Date(0))).toEqual(['U0NEW']);
    });
  });
}
