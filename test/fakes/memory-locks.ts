import type { Clock, LockOwner, LockResult, Locks } from '../../src/ports.js';

interface Held {
  readonly owner: LockOwner;
  readonly expiresAt: number;
}

/** Locks in memory, expiring by the given clock (a TestClock makes TTLs instant to test). */
export class MemoryLocks implements Locks {
  private readonly holders = new Map<string, Held>();

  constructor(private readonly clock: Clock) {}

  async acquire(key: string, owner: LockOwner, ttlMs: number): Promise<LockResult> {
    const now = this.clock.now().getTime();
    const current = this.holders.get(key);
    if (current && current.expiresAt > now) return { acquired: false, holder: current.owner };
    // The object itself is the token: release frees only this acquisition, not a later one.
    const mine: Held = { owner: { ...owner }, expiresAt: now + ttlMs };
    this.holders.set(key, mine);
    return {
      acquired: true,
      release: async () => {
        if (this.holders.get(key) === mine) this.holders.delete(key);
      },
    };
  }

  async held(key: string): Promise<boolean> {
    const current = this.holders.get(key);
    return current !== undefined && current.expiresAt > this.clock.now().getTime();
  }
}
