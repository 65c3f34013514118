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

export type VerifyResult =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly count: number; readonly problem: ChainProblem };

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
  /** Oldest first; `since` filters on `at`. */
  export(filter: { readonly fn?: string; readonly since?: Date }): AsyncIterable<AuditRecord>;
}
