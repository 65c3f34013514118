import {
  type AuditEntry,
  type AuditRecord,
  CHAIN_START,
  type ChainProblem,
  ChainVerifier,
  GENESIS,
  intentKey,
  intentRole,
  seal,
} from '../../src/domain/audit.js';
import { BotError } from '../../src/domain/errors.js';
import type { AuditLog, AuditQuery, Clock, TrimBase, Trimmed, VerifyResult } from '../../src/ports.js';

/**
 * The audit log in memory: the same hash chain as the Redis log (records sealed by the domain's
 * `seal`, checked by its `ChainVerifier`), for service tests. `records` is open so that a test
 * can read what was written, or damage it to see `verify` notice.
 */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  private head = { id: 0, hash: GENESIS };
  private available = true;
  /** Intent key → the intent, until its outcome comes (the Redis log's pending set). */
  private readonly pending = new Map<string, AuditRecord>();
  /** The last record trimmed (MemoryAuditArchiving trims `records` from the front), as `{audit}:base`. */
  base: TrimBase | undefined;

  constructor(private readonly clock: Clock) {}

  /** While false, every call rejects with `redis-unavailable`, as the Redis log does when Redis is down. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    this.mustBeAvailable();
    const record = seal(entry, { id: this.head.id + 1, at: this.clock.now(), prev: this.head.hash });
    this.records.push(record);
    this.head = { id: this.head.id + 1, hash: record.hash };
    const role = intentRole(record);
    if (role === 'intent') this.pending.set(intentKey(record), record);
    if (role === 'outcome') this.pending.delete(intentKey(record));
    return record;
  }

  async pendingIntents(before: Date, limit: number): Promise<AuditRecord[]> {
    this.mustBeAvailable();
    return [...this.pending.values()]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .slice(0, limit)
      .filter((r) => Date.parse(r.at) < before.getTime());
  }

  async recent(query: AuditQuery): Promise<AuditRecord[]> {
    this.mustBeAvailable();
    const found: AuditRecord[] = [];
    for (let i = this.records.length - 1; i >= 0 && found.length < query.limit; i--) {
      const r = this.records[i] as AuditRecord;
      if (matches(r, query)) found.push(r);
    }
    return found;
  }

  /** The last record written. */
  get last(): { readonly id: number; readonly hash: string } {
    return this.head;
  }

  /** The id of the oldest intent still waiting for its outcome. */
  oldestPendingId(): number | undefined {
    const ids = [...this.pending.values()].map((r) => Number(r.id));
    return ids.length > 0 ? Math.min(...ids) : undefined;
  }

  async trimmedBefore(): Promise<Trimmed | undefined> {
    this.mustBeAvailable();
    return this.base && { id: this.base.id, at: this.base.at };
  }

  async verify(): Promise<VerifyResult> {
    this.mustBeAvailable();
    const base = this.base;
    const verifier = new ChainVerifier(base ? { id: base.id + 1, prev: base.hash } : CHAIN_START);
    const from = base ? { from: base.id + 1 } : {};
    let problem: ChainProblem | undefined;
    for (const r of this.records) {
      problem = verifier.push(r);
      if (problem) break;
    }
    problem ??= verifier.finish(this.head);
    return problem
      ? { ok: false, count: verifier.count, problem, ...from }
      : { ok: true, count: verifier.count, ...from };
  }

  async *export(filter: { readonly fn?: string; readonly since?: Date }): AsyncIterable<AuditRecord> {
    this.mustBeAvailable();
    const since = filter.since?.getTime() ?? Number.NEGATIVE_INFINITY;
    for (const r of [...this.records]) {
      if ((filter.fn === undefined || r.function === filter.fn) && Date.parse(r.at) >= since) yield r;
    }
  }

  private mustBeAvailable(): void {
    if (!this.available) throw new BotError('redis-unavailable', 'the audit log is unavailable (test)');
  }
}

function matches(r: AuditRecord, q: AuditQuery): boolean {
  return (
    r.function === q.fn &&
    (q.alias === undefined || r.alias === q.alias) &&
    (!q.actions || q.actions.includes(r.action)) &&
    (!q.results || q.results.includes(r.result))
  );
}
