/** The audit archive (CONTRACT §14): the object store it lives in, and the audit log's side of it. */
import type { ArchiveEnd } from '../domain/archive.js';
import type { StoredLine } from '../domain/archive-line.js';
import type { AuditRecord } from '../domain/audit.js';

/** S3 Object Lock: an object that may be neither deleted nor overwritten before `retainUntil`. */
export interface ObjectLock {
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  readonly retainUntil: Date;
}

/**
 * A write-once object store (S3 with Object Lock; a memory fake in tests). Failures reject (any
 * error): the archiver retries later, and nothing else waits on it.
 */
export interface ArchiveStore {
  /**
   * Stores `body` under `key` unless an object is there already (If-None-Match: *): 'exists' then,
   * and the stored object is left as it is. Segment names are deterministic, so a segment put twice
   * (a crash before its position was recorded) is stored once.
   */
  put(key: string, body: Uint8Array, lock: ObjectLock): Promise<'written' | 'exists'>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Keys under `prefix` after `startAfter`, in lexicographic order, page by page (ListObjectsV2). */
  list(prefix: string, startAfter?: string): AsyncIterable<string>;
  /** Size and lock of an object, or undefined when there is none. */
  head(key: string): Promise<{ readonly size: number; readonly lock?: ObjectLock } | undefined>;
}

/** How far the chain is archived: the last record in the archive and the segment that holds it. */
export interface ArchivePosition extends ArchiveEnd {
  readonly segments: number;
  /** The key of the last segment written; absent before the first. */
  readonly key?: string;
  /** When the position was last moved (ISO 8601). */
  readonly at?: string;
  /**
   * The key of the segment being written next, claimed before it is put: whoever finds a claim
   * writes that segment (the same key, so a no-op if it is there) rather than one of its own, so two
   * archivers never write two overlapping segments. Cleared when the position moves.
   */
  readonly claim?: string;
  /** An alert that the archive lags is out: kept beside the position so that a new leader does not alert again. */
  readonly lagAlerted?: true;
}

/** The last record trimmed from the log: verification starts on its hash. */
export interface TrimBase extends ArchiveEnd {
  /** The trimmed record's own `at`: the log holds no record older than this. */
  readonly at: string;
}

/**
 * The audit log's side of archiving (Redis; a memory fake in tests): what is archived, the records
 * not archived yet, and trimming what is both archived and old.
 */
export interface AuditArchiving {
  /** `{ id: 0, hash: GENESIS, segments: 0 }` before the first segment. */
  position(): Promise<ArchivePosition>;
  /** The last record written. */
  head(): Promise<ArchiveEnd>;
  /** At most `limit` records after record `id`, oldest first (fewer where the log ends). */
  after(id: number, limit: number): Promise<AuditRecord[]>;
  /** The same records as stored, lines to copy into a segment (what the archiver reads). */
  lines(id: number, limit: number): Promise<StoredLine[]>;
  /** Claims `key` as the next segment, if the position is still `expected` and nothing is claimed yet. */
  claim(expected: ArchiveEnd, key: string): Promise<boolean>;
  /** Records whether an alert that the archive lags is out (ArchivePosition.lagAlerted). */
  markLag(alerted: boolean): Promise<void>;
  /**
   * Moves the position from `expected` to `next` (a segment `key` written up to it), only if it is
   * still `expected` (compare-and-set): false when another archiver moved it first. The claim is
   * cleared, or becomes `claimNext` (the segment after, already built): moving and claiming in one step.
   */
  advance(
    expected: ArchiveEnd,
    next: ArchiveEnd & { readonly key: string },
    at: Date,
    claimNext?: string,
  ): Promise<boolean>;
  /**
   * Removes records up to `through` from the log and the index streams of `functions` (those the
   * removed records belong to), and records the new trim base with them. Never past the archived
   * position or an intent still waiting for its outcome, whatever `through` says: answers the base
   * as it is after the call (undefined when nothing was ever trimmed).
   */
  trim(through: number, functions: readonly string[]): Promise<TrimBase | undefined>;
}
