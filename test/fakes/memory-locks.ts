import type { Clock, LockOwner, LockResult, Locks } from '../../src/ports.js';

interface Held {
  readonly owner: LockOwner;
  readonly expiresAt: number;
}

/** Locks in memory, expiring by the given clock (a TestClock makes TTLs instant to test). */
export class MemoryLocks implements Locks {
  private readonly held = new Map<string, Held>();

  constructor(private readonly clock: Clock) {}

  async acquire(key: string, owner: LockOwner, ttlMs: number): Promise<LockResult> {
    const now = this.clock.now().getTime();
    const current = this.held.get(key);
    if (current && current.expiresAt > now) return { acquired: false, holder: current.owner };
    // The object itself is the token: release frees only this acquisition, not a later one.
    const mine: Held = { owner: { ...owner }, expiresAt: now + ttlMs };
    this.held.set(key, mine);
    return {
      acquired: true,
      release: async () => {
        if (this.held.get(key) === mine) this.held.delete(key);
      },
    };
  }
}
