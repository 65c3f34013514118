/**
 * `npm run audit -- verify --archive` and `export --archive` (CONTRACT §14) over the ports: every
 * segment in the store, in listing (= chain) order, then Redis from the archive's last record on.
 * Nothing here prints; the CLI (audit.ts) says what came out.
 */
import { gunzipSync } from 'node:zlib';
import { type ArchiveEnd, parseSegment, parseSegmentKey } from '../domain/archive.js';
import { type ArchiveProblem, ArchiveVerifier, checkSeam } from '../domain/archive-verify.js';
import type { AuditRecord, ChainProblem } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { ArchiveStore, AuditArchiving, AuditLog } from '../ports.js';

/** The archive as the CLI reads it: its store, the prefix its segments are under. */
export interface ArchiveSide {
  readonly store: ArchiveStore;
  readonly prefix: string;
}

/** Redis as the CLI reads it: the log (its chain, its base) and the archiving side (head, position). */
export interface RedisSideReader {
  readonly log: Pick<AuditLog, 'verify' | 'trimmedBefore' | 'export'>;
  readonly archiving: Pick<AuditArchiving, 'position' | 'head' | 'after'>;
}

export type ArchiveVerdict =
  | {
      readonly ok: true;
      readonly segments: number;
      /** The archive's last record (0: nothing archived yet). */
      readonly archived: number;
      /** The first record Redis keeps, and its last. */
      readonly redis: { readonly from: number; readonly head: number };
    }
  | { readonly ok: false; readonly problem: ArchiveProblem };

/** Rounds of listing: a segment written (and Redis trimmed after it) while we check is read in the next one. */
const ROUNDS = 3;

/**
 * The whole archive and the seam with Redis: each segment, the chain between segments, Redis's own
 * chain from its base, then the seam. The first problem found is the answer.
 */
export async function verifyArchive(archive: ArchiveSide, redis: RedisSideReader): Promise<ArchiveVerdict> {
  const verifier = new ArchiveVerifier(archive.prefix);
  let lastKey: string | undefined;
  for (let round = 1; ; round++) {
    // Read before listing: every segment Redis says was written by now is listed (S3 lists what it has stored).
    const position = await redis.archiving.position();
    for await (const key of archive.store.list(archive.prefix, lastKey)) {
      const read = await segmentText(archive.store, key);
      if ('unreadable' in read) return { ok: false, problem: { object: key, reason: read.unreadable } };
      const problem = verifier.push(key, read.text);
      if (problem) return { ok: false, problem };
      lastKey = key;
    }
    const end = verifier.last;
    if (position.id > end.id) {
      return {
        ok: false,
        problem: {
          object: position.key ?? 'redis',
          record: String(end.id + 1),
          reason: `Redis records the archive as written up to record ${position.id}, this object last, and the bucket's segments end at ${end.id}: segments are missing`,
        },
      };
    }
    const chain = await redis.log.verify();
    if (!chain.ok) return { ok: false, problem: redisProblem(chain.problem) };
    const seam = checkSeam(end, await redisSide(redis.archiving, end));
    const base = await redis.log.trimmedBefore();
    if (seam) {
      // The archiver may have written a segment and trimmed past it since the listing: list again.
      if (round < ROUNDS && (await redis.archiving.position()).id !== position.id) continue;
      return { ok: false, problem: seam };
    }
    const head = await redis.archiving.head();
    return {
      ok: true,
      segments: verifier.segments,
      archived: end.id,
      redis: { from: (base?.id ?? 0) + 1, head: head.id },
    };
  }
}

/** The object's text, or why it cannot be read back (gone since listed, not gzip). */
async function segmentText(store: ArchiveStore, key: string): Promise<{ text: string } | { unreadable: string }> {
  const body = await store.get(key);
  if (body === undefined) return { unreadable: 'it was listed, then could not be read: removed while checking' };
  try {
    return { text: gunzipSync(body).toString('utf8') };
  } catch (error) {
    return { unreadable: `it is not gzip (${(error as Error).message}): rewritten` };
  }
}

function redisProblem(problem: ChainProblem): ArchiveProblem {
  return { object: 'redis', record: problem.id, reason: problem.reason };
}

/** Redis's side of the seam: its head, the first record it keeps, and its hash of the archive's last record. */
async function redisSide(archiving: RedisSideReader['archiving'], end: ArchiveEnd) {
  const head = await archiving.head();
  const [first] = await archiving.after(0, 1);
  const [atEnd] = end.id > 0 ? await archiving.after(end.id - 1, 1) : [];
  const hashAtArchiveEnd = atEnd && Number(atEnd.id) === end.id ? atEnd.hash : undefined;
  return {
    head,
    ...(first ? { first: { id: Number(first.id), prev: first.prev } } : {}),
    ...(hashAtArchiveEnd ? { hashAtArchiveEnd } : {}),
  };
}

export interface ExportFilter {
  readonly fn?: string;
  readonly since?: Date;
}

/**
 * The archive's records, then Redis's from the archive's last + 1: each record once, in chain order,
 * filtered alike. Refuses (BotError, before printing anything) when records are in neither.
 */
export async function* exportArchive(
  archive: ArchiveSide,
  redis: RedisSideReader,
  filter: ExportFilter,
): AsyncGenerator<AuditRecord> {
  const keys = await segmentKeys(archive);
  const archived = keys.at(-1)?.last ?? 0;
  const base = (await redis.log.trimmedBefore())?.id ?? 0;
  if (base > archived) throw missing(archived + 1, base);
  const since = filter.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const keep = (r: AuditRecord) => Date.parse(r.at) >= since && (filter.fn === undefined || r.function === filter.fn);
  let next = 1;
  for (const { key } of keys) {
    const read = await segmentText(archive.store, key);
    if ('unreadable' in read) throw unreadable(key, read.unreadable);
    const parsed = parseSegment(read.text);
    if (!parsed.ok) throw unreadable(key, parsed.reason);
    for (const record of parsed.records) {
      if (Number(record.id) !== next) throw unreadable(key, `record ${record.id} where record ${next} belongs`);
      next++;
      if (keep(record)) yield record;
    }
  }
  let first = true;
  for await (const record of redis.log.export(filter)) {
    const id = Number(record.id);
    if (id <= archived) continue;
    // Unfiltered, Redis's records are consecutive: the first after the archive must be the next one.
    if (first && filter.fn === undefined && filter.since === undefined && id !== archived + 1) {
      throw missing(archived + 1, id - 1);
    }
    first = false;
    yield record;
  }
  // Trimmed past the archive while we read it (another segment written and trimmed): ask for a new run.
  const after = (await redis.log.trimmedBefore())?.id ?? 0;
  if (after > archived) {
    throw new BotError(
      'internal',
      `Redis was trimmed to record ${after} while exporting, past the archive read (up to ${archived}): run the export again`,
    );
  }
}

/** The segments' names, in order, checked to follow each other: an export never skips records silently. */
async function segmentKeys(archive: ArchiveSide) {
  const out: { key: string; first: number; last: number }[] = [];
  for await (const key of archive.store.list(archive.prefix)) {
    const place = parseSegmentKey(archive.prefix, key);
    if (!place) throw unreadable(key, 'its name is not a segment name');
    const end = out.at(-1)?.last ?? 0;
    if (place.first !== end + 1) {
      throw new BotError(
        'internal',
        `the archive does not follow on at ${key} (records ${end + 1} to ${place.first - 1} are in no segment): nothing exported; run npm run audit -- verify --archive`,
      );
    }
    out.push({ key, first: place.first, last: place.last });
  }
  return out;
}

function missing(from: number, to: number): BotError {
  return new BotError(
    'internal',
    `records ${from} to ${to} are neither in the archive nor in Redis: nothing exported; run npm run audit -- verify --archive`,
  );
}

function unreadable(key: string, reason: string): BotError {
  return new BotError(
    'internal',
    `archive object ${key} cannot be exported: ${reason}; run npm run audit -- verify --archive`,
  );
}
