import { type ArchiveEnd, NOTHING_ARCHIVED } from '../../src/domain/archive.js';
import { type StoredLine, storedLine } from '../../src/domain/archive-line.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { encodeRecord } from '../../src/domain/audit-codec.js';
import { BotError } from '../../src/domain/errors.js';
import type { ArchivePosition, AuditArchiving, TrimBase } from '../../src/ports.js';
import type { MemoryAuditLog } from './memory-audit-log.js';

/**
 * The audit log's side of archiving over a MemoryAuditLog, as the Redis scripts do it: the position
 * moved only from the expected one, trimming clamped to what is archived and before any pending intent.
 */
export class MemoryAuditArchiving implements AuditArchiving {
  private archived: ArchivePosition = { ...NOTHING_ARCHIVED, segments: 0 };
  private available = true;

  constructor(private readonly log: MemoryAuditLog) {}

  /** While false, every call rejects with `redis-unavailable`. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  async position(): Promise<ArchivePosition> {
    this.mustBeAvailable();
    return this.archived;
  }

  async head(): Promise<ArchiveEnd> {
    this.mustBeAvailable();
    return this.log.last;
  }

  async after(id: number, limit: number): Promise<AuditRecord[]> {
    this.mustBeAvailable();
    return this.log.records.filter((r) => Number(r.id) > id).slice(0, Math.max(0, limit));
  }

  async lines(id: number, limit: number): Promise<StoredLine[]> {
    return (await this.after(id, limit)).map(
      (r) => storedLine(new TextEncoder().encode(encodeRecord(r))) as StoredLine,
    );
  }

  async claim(expected: ArchiveEnd, key: string): Promise<boolean> {
    this.mustBeAvailable();
    const { archived } = this;
    if (archived.id !== expected.id || archived.hash !== expected.hash) return false;
    if (archived.claim !== undefined) return archived.claim === key;
    this.archived = { ...archived, claim: key };
    return true;
  }

  async markLag(alerted: boolean): Promise<void> {
    this.mustBeAvailable();
    const { lagAlerted: _, ...rest } = this.archived;
    this.archived = alerted ? { ...rest, lagAlerted: true } : rest;
  }

  async advance(
    expected: ArchiveEnd,
    next: ArchiveEnd & { readonly key: string },
    at: Date,
    claimNext?: string,
  ): Promise<boolean> {
    this.mustBeAvailable();
    if (this.archived.id !== expected.id || this.archived.hash !== expected.hash) return false;
    const segments = this.archived.segments + 1;
    const claim = claimNext === undefined ? {} : { claim: claimNext };
    const lag = this.archived.lagAlerted ? { lagAlerted: true as const } : {};
    this.archived = { id: next.id, hash: next.hash, segments, key: next.key, at: at.toISOString(), ...claim, ...lag };
    return true;
  }

  async trim(through: number, _functions: readonly string[]): Promise<TrimBase | undefined> {
    this.mustBeAvailable();
    let last = Math.min(through, this.archived.id);
    const pending = this.log.oldestPendingId();
    if (pending !== undefined) last = Math.min(last, pending - 1);
    const records = this.log.records;
    let n = 0;
    while (n < records.length && Number(records[n]?.id) <= last) n++;
    const end = records[n - 1];
    if (end === undefined) return this.log.base;
    records.splice(0, n);
    this.log.base = { id: Number(end.id), hash: end.hash, at: end.at };
    return this.log.base;
  }

  private mustBeAvailable(): void {
    if (!this.available) throw new BotError('redis-unavailable', 'the audit log is unavailable (test)');
  }
}
