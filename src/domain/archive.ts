/**
 * Archive segments of the audit chain (CONTRACT §14): a run of consecutive records, sealed into
 * one object whose name says where in the chain it sits and whose first line (the manifest) holds
 * the last hash of the segment before, so that the segments form a chain of their own.
 * Pure: the bytes are gzip'd and stored by the caller.
 */
import { z } from 'zod';
import type { StoredLine } from './archive-line.js';
import { type AuditRecord, type ChainProblem, GENESIS } from './audit.js';
import { decodeRecord, encodeRecord } from './audit-codec.js';

const utf8 = new TextEncoder();

export const SEGMENT_FORMAT = 'lambda-release-bot/audit-segment@1';

/** Zero-padded ids: 10^12 records is far beyond any bot's lifetime, and every name has the same width. */
const ID_WIDTH = 12;

/** Where a segment sits in the chain: what its name says and its manifest repeats. */
export interface SegmentPlace {
  readonly first: number;
  readonly last: number;
  readonly firstHash: string;
  readonly lastHash: string;
}

/** The first line of a segment. */
export interface Manifest extends SegmentPlace {
  readonly format: typeof SEGMENT_FORMAT;
  readonly count: number;
  /** The last hash of the segment before (GENESIS for the first): what `first` chains on. */
  readonly prev: string;
  readonly createdAt: string;
}

/** The last record archived (or `{ id: 0, hash: GENESIS }` before the first segment). */
export interface ArchiveEnd {
  readonly id: number;
  readonly hash: string;
}

export const NOTHING_ARCHIVED: ArchiveEnd = { id: 0, hash: GENESIS };

/** @example padId(42) === '000000000042' */
export function padId(id: number): string {
  return String(id).padStart(ID_WIDTH, '0');
}

/**
 * The object key of a segment. The ids are zero-padded so that S3's ListObjectsV2, which lists keys
 * in lexicographic (UTF-8 byte) order, lists the segments in chain order: `…000000000999-…` sorts
 * before `…000000001000-…`, where unpadded `999` would sort after `1000`. The name is a function of
 * the records alone, so a segment written twice (a crash before its position was recorded) gets the
 * same name, and the second, conditional, put is a no-op.
 * @example segmentKey('bot/', { first: 1, last: 2, firstHash: 'aa…', lastHash: 'bb…' })
 *   === 'bot/000000000001-000000000002-aa…-bb….jsonl.gz'
 */
export function segmentKey(prefix: string, p: SegmentPlace): string {
  return `${prefix}${padId(p.first)}-${padId(p.last)}-${p.firstHash}-${p.lastHash}.jsonl.gz`;
}

/** The prefix every segment starting at `first` has: how an already written one is found. */
export function segmentStartPrefix(prefix: string, first: number): string {
  return `${prefix}${padId(first)}-`;
}

const NAME = /^(\d{12})-(\d{12})-([0-9a-f]{64})-([0-9a-f]{64})\.jsonl\.gz$/;

/** A segment's place read back from its key, or undefined when the key is not a segment's name. */
export function parseSegmentKey(prefix: string, key: string): SegmentPlace | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const m = NAME.exec(key.slice(prefix.length));
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (first < 1 || last < first) return undefined;
  return { first, last, firstHash: m[3] as string, lastHash: m[4] as string };
}

/** A segment ready to store: its key and its bytes, UTF-8 JSON lines (gzip'd by the caller). */
export interface Segment {
  readonly key: string;
  readonly manifest: Manifest;
  readonly body: Uint8Array;
}

/**
 * Seals records (consecutive, oldest first, right after `after`) into a segment, checking on the
 * way that they chain from `after`: a damaged log is never archived as if it were whole.
 * @example buildSegment('bot/', records, NOTHING_ARCHIVED, now) // records 1..n
 */
export function buildSegment(
  prefix: string,
  records: readonly (AuditRecord | StoredLine)[],
  after: ArchiveEnd,
  createdAt: Date,
): { readonly segment: Segment } | { readonly problem: ChainProblem } {
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) {
    return { problem: { id: String(after.id + 1), reason: 'a segment needs at least one record' } };
  }
  // The links only (consecutive ids, each prev the hash before it): a record removed, reordered or
  // not following the archive is never sealed. Each record's contents against its own hash is
  // `verify --archive`'s check, on the sealed bytes: re-hashing here would double the archiver's cost
  // and could not make a changed record right, only refuse to archive anything after it.
  let expectedId = after.id + 1;
  let before: AuditRecord | StoredLine | undefined;
  for (const r of records) {
    if ('seq' in r ? r.seq !== expectedId : r.id !== String(expectedId)) {
      return {
        problem: { id: r.id, reason: `expected record ${expectedId} here: records are missing or out of order` },
      };
    }
    if (!linked(r, before, after.hash)) {
      return { problem: { id: r.id, reason: 'its prev does not match the hash of the record before it' } };
    }
    expectedId++;
    before = r;
  }
  const manifest: Manifest = {
    format: SEGMENT_FORMAT,
    first: Number(first.id),
    last: Number(last.id),
    count: records.length,
    firstHash: first.hash,
    lastHash: last.hash,
    prev: after.hash,
    createdAt: createdAt.toISOString(),
  };
  const lines = [
    utf8.encode(JSON.stringify(manifest)),
    ...records.map((r) => ('line' in r ? r.line : utf8.encode(encodeRecord(r)))),
  ];
  return { segment: { key: segmentKey(prefix, manifest), manifest, body: joinLines(lines) } };
}

/** Whether `r` chains on `before` (on `first` when it is the first): as bytes when both are stored lines. */
function linked(r: AuditRecord | StoredLine, before: AuditRecord | StoredLine | undefined, first: string): boolean {
  if (before === undefined) return r.prev === first;
  if ('follows' in r && 'hashBytes' in before) return r.follows(before);
  return r.prev === before.hash;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');
const position = z.int().min(1);
const manifestSchema = z.strictObject({
  format: z.literal(SEGMENT_FORMAT),
  first: position,
  last: position,
  count: position,
  firstHash: hex64,
  lastHash: hex64,
  prev: hex64,
  createdAt: z.string(),
});

/** Lines, each ended by a newline, as one byte array: the records' own bytes, copied once. */
function joinLines(lines: readonly Uint8Array[]): Uint8Array {
  const body = new Uint8Array(lines.reduce((n, l) => n + l.length + 1, 0));
  let at = 0;
  for (const line of lines) {
    body.set(line, at);
    at += line.length;
    body[at++] = 0x0a;
  }
  return body;
}

/** A segment's text read back: its manifest and records, or what is wrong with it (the record's id when one is). */
export type ParsedSegment =
  | { readonly ok: true; readonly manifest: Manifest; readonly records: readonly AuditRecord[] }
  | { readonly ok: false; readonly record?: string; readonly reason: string };

export function parseSegment(text: string): ParsedSegment {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const [head, ...body] = lines;
  let value: unknown;
  try {
    value = JSON.parse(head ?? '');
  } catch {
    return { ok: false, reason: 'its first line is not a manifest (not JSON)' };
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `its manifest is not valid (${issue?.path.join('.') || 'manifest'}: ${issue?.message})`,
    };
  }
  const records: AuditRecord[] = [];
  for (const [i, line] of body.entries()) {
    const decoded = decodeRecord(line);
    // The line's place names the record when the line itself cannot.
    const at = String(parsed.data.first + i);
    if (!decoded.ok) return { ok: false, record: at, reason: `line ${i + 2}: ${decoded.why}` };
    records.push(decoded.record);
  }
  return { ok: true, manifest: parsed.data as Manifest, records };
}
