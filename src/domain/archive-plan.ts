/**
 * The archiver's decisions, apart from the I/O (services/archiver.ts): when the unarchived records
 * make a segment, how far Redis may be trimmed, how long to wait after a failure, and when the
 * archive's lag is worth an alert.
 */

import type { ArchiveEnd } from './archive.js';
import type { AuditRecord } from './audit.js';

export interface ArchiveRules {
  /** A segment holds at most this many records, and is cut as soon as this many wait. */
  readonly maxRecords: number;
  /** …or as soon as the oldest unarchived record is this old. */
  readonly intervalMs: number;
  /** Redis keeps records at least this long, archived or not. */
  readonly retainInRedisMs: number;
  /** An archive this far behind (its oldest unarchived record this old) is alerted. */
  readonly alertLagMs: number;
}

/**
 * Whether the records waiting (read after the archive's end, oldest first, at most maxRecords)
 * make a segment now: enough of them, or the oldest has waited a whole interval.
 * @example segmentDue([], now, rules) === false
 */
export function segmentDue(waiting: readonly Pick<AuditRecord, 'at'>[], now: Date, rules: ArchiveRules): boolean {
  const oldest = waiting[0];
  if (oldest === undefined) return false;
  return waiting.length >= rules.maxRecords || now.getTime() - Date.parse(oldest.at) >= rules.intervalMs;
}

/**
 * The last record that may leave Redis among `kept` (the oldest records Redis keeps, oldest
 * first): archived, and older than the retention window. Records are in `at` order along the chain,
 * so the first one too young (or not archived) ends the run. Undefined: nothing to trim.
 * @example trimThrough(records, { id: 500, hash }, now, 30 * DAY) // the last of records ≤ 500 older than 30 days
 */
export function trimThrough(
  kept: readonly Pick<AuditRecord, 'id' | 'at' | 'function'>[],
  archived: ArchiveEnd,
  now: Date,
  retainInRedisMs: number,
): { readonly id: number; readonly functions: readonly string[] } | undefined {
  const cutoff = now.getTime() - retainInRedisMs;
  let through: number | undefined;
  const functions = new Set<string>();
  for (const r of kept) {
    if (Number(r.id) > archived.id || Date.parse(r.at) >= cutoff) break;
    through = Number(r.id);
    if (r.function !== null) functions.add(r.function);
  }
  return through === undefined ? undefined : { id: through, functions: [...functions] };
}

const FIRST_RETRY_MS = 15_000;
const LONGEST_RETRY_MS = 15 * 60_000;

/**
 * How long to wait after the `failures`-th failure in a row: doubling from 15 s, at most 15 min,
 * so an archive store that is down is not hammered, and one that is back is used again soon.
 * @example retryAfterMs(1) === 15_000; retryAfterMs(3) === 60_000
 */
export function retryAfterMs(failures: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(failures - 1, 20)));
}

/** How far the archive is behind Redis. */
export interface ArchiveLag {
  /** Records written but not archived yet. */
  readonly records: number;
  /** Age of the oldest of them; 0 when none. */
  readonly ms: number;
}

/**
 * Whether to say something about the lag, given whether an alert is out: an alert once the lag
 * passes the limit, a note once it is back under, nothing in between (no alert storm while the
 * archive store is down for hours).
 * @example lagNotice(false, { records: 9, ms: 2 * HOUR }, HOUR) === 'behind'
 */
export function lagNotice(alerted: boolean, lag: ArchiveLag, alertLagMs: number): 'behind' | 'recovered' | undefined {
  const behind = lag.ms > alertLagMs;
  if (behind && !alerted) return 'behind';
  if (!behind && alerted) return 'recovered';
  return undefined;
}
