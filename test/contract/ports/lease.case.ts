/** What every Lease must do (Redis and the in-memory fake). */
import { describe, expect, it } from 'vitest';
import type { Lease } from '../../../src/ports.js';

export interface LeaseSubject {
  readonly lease: Lease;
  /** Lets `ms` pass for the lease's TTL. */
  elapse(ms: number): Promise<void>;
}

export function leaseContract(name: string, make: () => Promise<LeaseSubject>): void {
  describe(`Lease contract: ${name}`, () => {
    it('one holder at a time; the holder renews with the same token', async () => {
      const { lease } = await make();
      const token = await lease.acquire('poller', 'a', 10_000);
      expect(token).toBeGreaterThan(0);
      expect(await lease.acquire('poller', 'b', 10_000)).toBeUndefined();
      expect(await lease.acquire('poller', 'a', 10_000)).toBe(token);
      expect(await lease.holds('poller', 'a', token as number)).toBe(true);
      expect(await lease.holds('poller', 'b', token as number)).toBe(false);
    });

    it('only one of many concurrent contenders wins', async () => {
      const { lease } = await make();
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => lease.acquire('stepper', `r${i}`, 10_000)));
      expect(tokens.filter((t) => t !== undefined)).toHaveLength(1);
    });

    it('after expiry a new holder gets a larger token and the old one no longer holds', async () => {
      const { lease, elapse } = await make();
      const first = (await lease.acquire('poller', 'a', 50)) as number;
      await elapse(80);
      const second = (await lease.acquire('poller', 'b', 10_000)) as number;
      expect(second).toBeGreaterThan(first);
      expect(await lease.holds('poller', 'a', first)).toBe(false);
      expect(await lease.holds('poller', 'b', second)).toBe(true);
    });

    it('release frees the lease only for its holder', async () => {
      const { lease } = await make();
      const token = (await lease.acquire('poller', 'a', 10_000)) as number;
      await lease.release('poller', 'b');
      expect(await lease.holds('poller', 'a', token)).toBe(true);
      await lease.release('poller', 'a');
      expect(await lease.acquire('poller', 'b', 10_000)).toBeGreaterThan(token);
    });

    it('leases of different names are independent', async () => {
      const { lease } = await make();
      expect(await lease.acquire('poller', 'a', 10_000)).toBeDefined();
      expect(await lease.acquire('stepper', 'b', 10_000)).toBeDefined();
    });
  });
}
