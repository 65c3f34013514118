/** Replicas agreeing on who acts: locks, leases, the clock. */

export interface LockOwner {
  readonly actor: string;
  readonly request: string;
  readonly action: string;
}

export type LockResult =
  | { readonly acquired: true; release(): Promise<void> }
  | { readonly acquired: false; readonly holder: LockOwner };

/** Mutual exclusion across replicas, with an owner token and a TTL so a crashed holder cannot block forever. */
export interface Locks {
  acquire(key: string, owner: LockOwner, ttlMs: number): Promise<LockResult>;
  /** Whether someone holds the lock now (a change under way), without taking it. */
  held(key: string): Promise<boolean>;
}

/**
 * Leadership of a recurring job across replicas. `acquire` takes or renews the lease and returns
 * its fencing token (a number that grows with every new holder); a holder that lost the lease
 * must stop acting, and `holds` tells it so before any effect that others could duplicate.
 */
export interface Lease {
  acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  holds(name: string, holder: string, token: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export interface Clock {
  now(): Date;
  /** Waits, on the same clock: tests drive it with fake timers. */
  sleep(ms: number): Promise<void>;
}

/**
 * Events API deliveries taken by one replica: Slack retries an event it saw no answer to within
 * 3 s (X-Slack-Retry-Num), perhaps to another replica, and each must be handled once.
 */
export interface EventClaims {
  /** True for the first claim of `eventId` (within the claim's lifetime), false for every later one. */
  claim(eventId: string): Promise<boolean>;
}
