/**
 * Checking the archive (CONTRACT §14): each segment against its own name and manifest and its
 * records' hashes, the segments against each other (each chains on the one before, with no gap and
 * no overlap), and the archive against Redis at the seam. Problems name the first broken object,
 * and the record in it when one is to blame.
 */

import { type ArchiveEnd, type Manifest, NOTHING_ARCHIVED, parseSegment, parseSegmentKey } from './archive.js';
import { ChainVerifier } from './audit.js';

export interface ArchiveProblem {
  /** The object's key, or `redis` for the seam's Redis side. */
  readonly object: string;
  readonly record?: string;
  readonly reason: string;
}

export type SegmentCheck =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly problem: ArchiveProblem };

/**
 * One segment on its own: its name parses, its manifest agrees with its name and its records, the
 * records are consecutive from `first`, chain from the manifest's `prev`, and their hashes recompute.
 * Whether `prev` is the right hash (the segment before's last) is the caller's check (ArchiveVerifier).
 * @example verifySegment('bot/', key, gunzip(body)) // { ok: true, manifest }
 */
export function verifySegment(prefix: string, key: string, text: string): SegmentCheck {
  const broken = (reason: string, record?: string): SegmentCheck => ({
    ok: false,
    problem: { object: key, ...(record === undefined ? {} : { record }), reason },
  });
  const name = parseSegmentKey(prefix, key);
  if (!name) return broken('its name is not a segment name (first-last-firstHash-lastHash.jsonl.gz)');
  const parsed = parseSegment(text);
  if (!parsed.ok) return broken(parsed.reason, parsed.record);
  const { manifest: m, records } = parsed;
  for (const field of ['first', 'last', 'firstHash', 'lastHash'] as const) {
    if (m[field] !== name[field])
      return broken(`its manifest's ${field} does not match its name: renamed or rewritten`);
  }
  if (m.count !== records.length || m.count !== m.last - m.first + 1) {
    return broken(`its manifest says ${m.count} records from ${m.first} to ${m.last}, it holds ${records.length}`);
  }
  const verifier = new ChainVerifier({ id: m.first, prev: m.prev });
  for (const r of records) {
    const problem = verifier.push(r);
    if (problem) return broken(problem.reason, problem.id);
  }
  // The records chain and their count is right, so the last is record `last`; its hash must be the named one.
  if (verifier.last.hash !== m.lastHash)
    return broken("its last record's hash is not the one its name says", String(m.last));
  if (records[0]?.hash !== m.firstHash)
    return broken("its first record's hash is not the one its name says", String(m.first));
  return { ok: true, manifest: m };
}

/**
 * The whole archive, one segment at a time in listing (= chain) order, without holding it in memory.
 * @example const v = new ArchiveVerifier('bot/'); for (const [key, text] of segments) { const p = v.push(key, text); if (p) return p; }
 */
export class ArchiveVerifier {
  private end: ArchiveEnd = NOTHING_ARCHIVED;
  segments = 0;
  records = 0;

  constructor(private readonly prefix: string) {}

  /** The last record of the segments checked so far. */
  get last(): ArchiveEnd {
    return this.end;
  }

  push(key: string, text: string): ArchiveProblem | undefined {
    const check = verifySegment(this.prefix, key, text);
    if (!check.ok) return check.problem;
    const problem = follows(key, check.manifest, this.end);
    if (problem) return problem;
    this.end = { id: check.manifest.last, hash: check.manifest.lastHash };
    this.segments++;
    this.records += check.manifest.count;
    return undefined;
  }
}

/** Whether a segment continues the archive that ends at `end`: no gap, no overlap, chained on its last hash. */
export function follows(key: string, m: Manifest, end: ArchiveEnd): ArchiveProblem | undefined {
  if (m.first > end.id + 1) {
    return { object: key, reason: `records ${end.id + 1} to ${m.first - 1} are in no segment: segments are missing` };
  }
  if (m.first <= end.id) {
    return {
      object: key,
      reason: `it starts at record ${m.first}, inside the segment before (which ends at ${end.id})`,
    };
  }
  if (m.prev !== end.hash) {
    return {
      object: key,
      record: String(m.first),
      reason: `its prev is not the last hash of the segment before${end.id === 0 ? ' (GENESIS for the first)' : ''}`,
    };
  }
  return undefined;
}

/** What Redis holds at the seam. */
export interface RedisSide {
  /** The last record ever written (the head). */
  readonly head: ArchiveEnd;
  /** The first record Redis still keeps, or undefined when it keeps none (all trimmed, or none written). */
  readonly first?: { readonly id: number; readonly prev: string };
  /** The hash Redis keeps for the archive's last record, when Redis still keeps that record. */
  readonly hashAtArchiveEnd?: string;
}

/**
 * The seam between the archive and Redis: the first record Redis keeps follows the archive's last
 * (chains on its hash), or Redis still keeps the archive's last record, with the very same hash
 * (the two chains overlap: each is checked on its own, so one shared hash makes them one chain).
 * @example checkSeam({ id: 1000, hash: h }, { head: { id: 1200, hash: x }, first: { id: 1001, prev: h } }) === undefined
 */
export function checkSeam(archive: ArchiveEnd, redis: RedisSide): ArchiveProblem | undefined {
  const seam = (reason: string, record: number): ArchiveProblem => ({
    object: 'redis',
    record: String(record),
    reason,
  });
  if (archive.id > redis.head.id) {
    return seam(`the archive holds records up to ${archive.id}, beyond Redis's last (${redis.head.id})`, archive.id);
  }
  const first = redis.first;
  if (first === undefined) {
    // Redis keeps no record: everything up to its head was trimmed, so the archive must end there.
    if (redis.head.id > archive.id) {
      return seam(
        `records ${archive.id + 1} to ${redis.head.id} are neither in the archive nor in Redis`,
        archive.id + 1,
      );
    }
    return redis.head.hash === archive.hash
      ? undefined
      : seam("Redis's last record has another hash than the archive's last: the two disagree", archive.id);
  }
  if (first.id > archive.id + 1) {
    return seam(`records ${archive.id + 1} to ${first.id - 1} are neither in the archive nor in Redis`, archive.id + 1);
  }
  if (first.id === archive.id + 1) {
    return first.prev === archive.hash
      ? undefined
      : seam("the first record in Redis does not chain on the archive's last", first.id);
  }
  if (archive.id === 0) return undefined;
  return redis.hashAtArchiveEnd === archive.hash
    ? undefined
    : seam("Redis holds the archive's last record with another hash: the two disagree", archive.id);
}
