/** What every Locks implementation must do (Redis and the in-memory fake). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { LockOwner, LockResult, Locks } from '../../../src/ports.js';

export interface LocksSubject {
  readonly locks: Locks;
  /** Lets `ms` pass for the lock's TTL: real time for Redis, a test clock for the fake. */
  elapse(ms: number): Promise<void>;
}

const alice: LockOwner = { actor: 'U0ALICE', request: 'req-a', action: 'promote' };
const bob: LockOwner = { actor: 'U0BOB', request: 'req-b', action: 'shift' };
const MINUTE = 60_000;

function acquired(result: LockResult): Extract<LockResult, { acquired: true }> {
  if (!result.acquired) throw new Error(`expected the lock, but ${result.holder.actor} holds it`);
  return result;
}

export function locksContract(name: string, make: () => Promise<LocksSubject>): void {
  describe(`Locks contract: ${name}`, () => {
    let s: LocksSubject;
    beforeEach(async () => {
      s = await make();
    });

    it('a free lock is acquired; while held, others see who holds it', async () => {
      acquired(await s.locks.acquire('payments-api:prod', alice, MINUTE));
      expect(await s.locks.acquire('payments-api:prod', bob, MINUTE)).toEqual({ acquired: false, holder: alice });
      expect(await s.locks.acquire('payments-api:prod', alice, MINUTE)).toEqual({ acquired: false, holder: alice });
    });

    it('tells whether a lock is held, without taking it', async () => {
      expect(await s.locks.held('payments-api:prod')).toBe(false);
      const lock = acquired(await s.locks.acquire('payments-api:prod', alice, MINUTE));
      expect(await s.locks.held('payments-api:prod')).toBe(true);
      expect(await s.locks.held('payments-api:staging')).toBe(false);
      await lock.release();
      expect(await s.locks.held('payments-api:prod')).toBe(false);
    });

    it('locks of different keys are independent', async () => {
      acquired(await s.locks.acquire('payments-api:prod', alice, MINUTE));
      acquired(await s.locks.acquire('payments-api:staging', bob, MINUTE));
    });

    it('release frees the lock; releasing twice is harmless', async () => {
      const lock = acquired(await s.locks.acquire('payments-api:prod', alice, MINUTE));
      await lock.release();
      await lock.release();
      const next = acquired(await s.locks.acquire('payments-api:prod', bob, MINUTE));
      await lock.release();
      expect(await s.locks.acquire('payments-api:prod', alice, MINUTE)).toEqual({ acquired: false, holder: bob });
      await next.release();
    });

    it('only one of 20 concurrent acquirers wins; the others see the winner', async () => {
      const owners = Array.from({ length: 20 }, (_, i) => ({ actor: `U${i}`, request: `req-${i}`, action: 'shift' }));
      const results = await Promise.all(owners.map((o) => s.locks.acquire('payments-api:prod', o, MINUTE)));
      const winners = results.flatMap((r, i) => (r.acquired ? [owners[i]] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.acquired) expect(r.holder).toEqual(winners[0]);
    });

    it('the TTL frees a lock whose holder never released it', async () => {
      acquired(await s.locks.acquire('payments-api:prod', alice, 50));
      await s.elapse(80);
      acquired(await s.locks.acquire('payments-api:prod', bob, MINUTE));
    });

    it('a holder whose lock expired cannot release the lock someone else took since', async () => {
      const stale = acquired(await s.locks.acquire('payments-api:prod', alice, 50));
      await s.elapse(80);
      acquired(await s.locks.acquire('payments-api:prod', bob, MINUTE));
      await stale.release();
      expect(await s.locks.acquire('payments-api:prod', alice, MINUTE)).toEqual({ acquired: false, holder: bob });
    });
  });
}
