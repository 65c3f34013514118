/** The tamper-evident audit log. */
import type { AuditAction, AuditEntry, AuditRecord, ChainProblem } from '../domain/audit.js';

export interface AuditQuery {
  readonly fn: string;
  readonly alias?: string;
  readonly actions?: readonly AuditAction[];
  /** Only records with these results. */
  readonly results?: readonly AuditRecord['result'][];
  readonly limit: number;
}

/**
 * `from`: the first record checked, present only when the log was trimmed (the records before it are
 * in the archive, CONTRACT §14, and the check started on the hash of the last one trimmed).
 */
export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly from?: number }
  | { readonly ok: false; readonly count: number; readonly problem: ChainProblem; readonly from?: number };

/** Where the log was trimmed: the last record removed (older ones are in the archive only). */
export interface Trimmed {
  readonly id: number;
  readonly at: string;
}

/**
 * The tamper-evident log. `append` resolves only once the record is durably in the chain; when
 * it cannot be written it rejects with BotError `redis-unavailable`, and the caller must not act.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Newest first, for one function (and alias). */
  recent(query: AuditQuery): Promise<AuditRecord[]>;
  verify(): Promise<VerifyResult>;
  /**
   * Intents (`pending` records) with no outcome yet, written before `before`, oldest first: what the
   * settler reads AWS for (a crash or a Redis failover came between an intent and its outcome).
   */
  pendingIntents(before: Date, limit: number): Promise<AuditRecord[]>;
  /**
   * Undefined while the log holds every record ever written; otherwise the last record trimmed:
   * a reader whose answer reached back to it knows older records are in the archive only.
   */
  trimmedBefore(): Promise<Trimmed | undefined>;
  /** Oldest first, from the first record the log still keeps; `since` filters on `at`. */
  export(filter: { readonly fn?: string; readonly since?: Date }): AsyncIterable<AuditRecord>;
}
