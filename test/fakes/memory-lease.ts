import type { Clock, Lease } from '../../src/ports.js';

/** Leases in memory, expiring by the given clock; tokens grow with every new holder, as in Redis. */
export class MemoryLease implements Lease {
  private readonly held = new Map<string, { holder: string; token: number; expiresAt: number }>();
  private readonly fences = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    const now = this.clock.now().getTime();
    const current = this.held.get(name);
    if (current && current.expiresAt > now) {
      if (current.holder !== holder) return undefined;
      current.expiresAt = now + ttlMs;
      return current.token;
    }
    const token = (this.fences.get(name) ?? 0) + 1;
    this.fences.set(name, token);
    this.held.set(name, { holder, token, expiresAt: now + ttlMs });
    return token;
  }

  async holds(name: string, holder: string, token: number): Promise<boolean> {
    const current = this.held.get(name);
    return (
      current !== undefined &&
      current.expiresAt > this.clock.now().getTime() &&
      current.holder === holder &&
      current.token === token
    );
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.held.get(name)?.holder === holder) this.held.delete(name);
  }
}
