/**
 * Group commit onto the audit chain. Appends queue; one batch at a time goes to Redis as one call
 * of the compare-and-set script (audit-append-script.ts), so many concurrent appends cost few
 * round trips, and replicas that race for the head lose cleanly and retry on the head they lost
 * to. The chain's hashes are computed here, since Redis's Lua has no SHA-256.
 *
 * Entries are sealed as they arrive, onto the tail of the chain this process expects (the last
 * record it sealed, queued or in flight), so the client's hashing overlaps Redis working on the
 * batch in flight instead of waiting for it. A guess that turns out wrong (another replica moved
 * the head, or Redis failed) only costs sealing again: nothing is sent that does not chain onto
 * the head Redis holds, because the script checks.
 */

import type { AuditEntry, AuditRecord } from '../../domain/audit.js';
import { BotError } from '../../domain/errors.js';
import type { Clock } from '../../ports.js';
import {
  appendBatch,
  type Durability,
  type Head,
  NO_REPLICAS,
  readHead,
  type Sealed,
  sealForLog,
} from './audit-append-script.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import type { RedisKeys } from './keys.js';

/** Records per script call: enough to amortise the round trip, few enough to keep the call short. */
const MAX_BATCH = 100;
/** Lost compare-and-set races before giving up; each loss means another replica wrote meanwhile. */
const MAX_ATTEMPTS = 50;
/**
 * When this many appends wait and no batch is in flight, half of them go first and the other half
 * is ready to follow. From then on two groups alternate: one waits on Redis while the other's new
 * entries are sealed, so that client and Redis work at the same time instead of taking turns.
 */
const SPLIT_FROM = 16;

interface Pending {
  readonly entry: AuditEntry;
  /** The entry sealed onto the expected tail; undefined while the head is unknown. */
  sealed: Sealed | undefined;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

export class AuditAppender {
  private readonly queue: Pending[] = [];
  private flushing = false;
  /** The head as Redis last reported it; undefined when unknown (first use, after an error). */
  private head: Head | undefined;
  /** What the next entry chains onto: the last record sealed. Undefined while the head is unknown. */
  private tail: Head | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly durability: Durability = NO_REPLICAS,
  ) {}

  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { entry, sealed: undefined, resolve, reject };
      if (this.tail) pending.sealed = this.sealOnTail(entry, this.tail);
      this.queue.push(pending);
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    let settle: (() => void) | undefined;
    try {
      // Appends made in the same tick as this one join its batch instead of waiting for the next.
      await Promise.resolve();
      let idle = true;
      while (this.queue.length > 0) {
        const waiting = this.queue.length;
        const size = idle && waiting >= SPLIT_FROM ? Math.ceil(waiting / 2) : waiting;
        idle = false;
        const batch = this.queue.splice(0, Math.min(size, MAX_BATCH));
        // The batch before is settled only now that this one is taken: what its appenders add
        // next waits for the batch after this one, and the two groups keep alternating.
        settle?.();
        settle = await this.commit(batch);
      }
    } finally {
      settle?.();
      this.flushing = false;
    }
  }

  /**
   * Sends the batch, sealed on the head Redis holds, retrying on the head it reports while other
   * writers win the race. Returns how to settle the batch's appends: resolve each with its
   * record, or reject them all with a BotError.
   */
  private async commit(batch: Pending[]): Promise<() => void> {
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        this.head ??= await readHead(this.redis, this.keys);
        if (!chainsOn(batch, this.head)) this.resealFrom(this.head, batch);
        const sealed = batch.map((p) => p.sealed as Sealed);
        const outcome = await appendBatch(this.redis, this.keys, this.head, sealed, undefined, this.durability);
        this.head = outcome.head;
        if (outcome.written && outcome.acked < this.durability.replicas) {
          // In the log on the primary, but a failover now could lose it: it does not count, and the
          // caller acts as if Redis were down (no AWS call). An intent among them is settled later.
          const failure = unconfirmed(outcome.acked, this.durability);
          return () => batch.forEach((p) => void p.reject(failure));
        }
        if (outcome.written) return () => batch.forEach((p, i) => void p.resolve((sealed[i] as Sealed).record));
      }
      throw new BotError(
        'busy',
        `the audit log is busy: other writers moved its head ${MAX_ATTEMPTS} times in a row; nothing was written`,
      );
    } catch (error) {
      this.forgetHead();
      const failure = redisFailure(error, 'appending to the audit log');
      return () => batch.forEach((p) => void p.reject(failure));
    }
  }

  /** Seals the batch and everything queued behind it again, in order, onto `head`. */
  private resealFrom(head: Head, batch: Pending[]): void {
    this.tail = head;
    for (const p of batch) p.sealed = this.sealOnTail(p.entry, this.tail);
    for (const p of this.queue) p.sealed = this.sealOnTail(p.entry, this.tail);
  }

  private sealOnTail(entry: AuditEntry, tail: Head): Sealed {
    const sealed = sealForLog(entry, { id: tail.id + 1, at: this.clock.now(), prev: tail.hash });
    this.tail = { id: tail.id + 1, hash: sealed.record.hash };
    return sealed;
  }

  /** After a failure nothing is known: the head is read again, queued entries sealed again. */
  private forgetHead(): void {
    this.head = undefined;
    this.tail = undefined;
    for (const p of this.queue) p.sealed = undefined;
  }
}

function unconfirmed(acked: number, d: Durability): BotError {
  return new BotError(
    'redis-unavailable',
    `Redis wrote the audit record, but ${acked} of the ${d.replicas} replica(s) REDIS_REPLICAS_ACK asks for confirmed it within ${d.timeoutMs} ms, so it does not count`,
  );
}

/** Whether the batch was sealed as one run starting right after `head`. */
function chainsOn(batch: readonly Pending[], head: Head): boolean {
  const first = batch[0]?.sealed?.record;
  return (
    first !== undefined &&
    first.id === String(head.id + 1) &&
    first.prev === head.hash &&
    batch.every((p) => p.sealed !== undefined)
  );
}
