/**
 * The audit log's side of archiving, in Redis (keys.ts: `{audit}:archived`, `{audit}:base`): the
 * archived position, moved by compare-and-set, and trimming, both scripts in the `{audit}` slot.
 */
import type { ArchiveEnd } from '../../domain/archive.js';
import { type StoredLine, storedLine } from '../../domain/archive-line.js';
import type { AuditRecord } from '../../domain/audit.js';
import { BotError } from '../../domain/errors.js';
import type { ArchivePosition, AuditArchiving, TrimBase } from '../../ports.js';
import { parseHead, readHead } from './audit-append-script.js';
import { ADVANCE, CLAIM, TRIM } from './audit-archive-scripts.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { field, type StreamEntry } from './stream-pages.js';

/** The stream field holding the record, as bytes: compared without decoding every field name. */
const REC = Buffer.from('rec');

export class RedisAuditArchiving implements AuditArchiving {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async position(): Promise<ArchivePosition> {
    try {
      const fields = ['id', 'hash', 'segments', 'key', 'at', 'claim', 'lagAlerted'] as const;
      const [id, hash, segments, key, at, claim, lagAlerted] = await this.redis.hmget(
        this.keys.auditArchived,
        ...fields,
      );
      const end = parseHead(id ?? null, hash ?? null);
      return {
        ...end,
        segments: Number(segments ?? 0),
        ...(key ? { key } : {}),
        ...(at ? { at } : {}),
        ...(claim ? { claim } : {}),
        ...(lagAlerted ? { lagAlerted: true as const } : {}),
      };
    } catch (error) {
      throw redisFailure(error, 'reading the archive position');
    }
  }

  async head(): Promise<ArchiveEnd> {
    try {
      return await readHead(this.redis, this.keys);
    } catch (error) {
      throw redisFailure(error, 'reading the audit head');
    }
  }

  async after(id: number, limit: number): Promise<AuditRecord[]> {
    if (limit <= 0) return [];
    try {
      const entries = (await this.redis.xrange(this.keys.auditLog, `(${id}-0`, '+', 'COUNT', limit)) as StreamEntry[];
      return entries.map(([entryId, fields]) => {
        const record = archivable(field(fields, 'rec'));
        // An unreadable record is never archived as something else: the archiver stops here until
        // `audit verify` has been run and the damage dealt with.
        if (!record) throw new BotError('internal', `audit entry ${entryId} cannot be archived: run audit verify`);
        return record;
      });
    } catch (error) {
      throw redisFailure(error, 'reading records to archive');
    }
  }

  async lines(id: number, limit: number): Promise<StoredLine[]> {
    if (limit <= 0) return [];
    try {
      // As bytes: the archiver copies the stored JSON into the segment, never decoding it to text.
      const entries = (await this.redis.xrangeBuffer(this.keys.auditLog, `(${id}-0`, '+', 'COUNT', limit)) as [
        Buffer,
        Buffer[],
      ][];
      return entries.map(([entryId, fields]) => {
        const at = fields.findIndex((f, i) => i % 2 === 0 && f.equals(REC));
        const stored = at === -1 ? undefined : storedLine(fields[at + 1] as Buffer);
        if (!stored) throw new BotError('internal', `audit entry ${entryId} cannot be archived: run audit verify`);
        return stored;
      });
    } catch (error) {
      throw redisFailure(error, 'reading records to archive');
    }
  }

  async claim(expected: ArchiveEnd, key: string): Promise<boolean> {
    try {
      return (await CLAIM.run(this.redis, [this.keys.auditArchived], [expected.id, expected.hash, key])) === 1;
    } catch (error) {
      throw redisFailure(error, 'claiming the next archive segment');
    }
  }

  async markLag(alerted: boolean): Promise<void> {
    try {
      if (alerted) await this.redis.hset(this.keys.auditArchived, 'lagAlerted', '1');
      else await this.redis.hdel(this.keys.auditArchived, 'lagAlerted');
    } catch (error) {
      throw redisFailure(error, 'recording the archive lag alert');
    }
  }

  async advance(
    expected: ArchiveEnd,
    next: ArchiveEnd & { readonly key: string },
    at: Date,
    claimNext?: string,
  ): Promise<boolean> {
    try {
      const args = [expected.id, expected.hash, next.id, next.hash, next.key, at.toISOString(), claimNext ?? ''];
      return (await ADVANCE.run(this.redis, [this.keys.auditArchived], args)) === 1;
    } catch (error) {
      throw redisFailure(error, 'recording the archive position');
    }
  }

  async trim(through: number, functions: readonly string[]): Promise<TrimBase | undefined> {
    const k = this.keys;
    const keys = [k.auditLog, k.auditArchived, k.auditBase, k.auditPending, ...functions.map((fn) => k.auditIndex(fn))];
    try {
      return toBase((await TRIM.run(this.redis, keys, [through])) as (string | null)[]);
    } catch (error) {
      throw redisFailure(error, 'trimming the audit log');
    }
  }
}

/** The trim base as stored (HMGET id hash at); undefined when nothing was ever trimmed. */
export function toBase([id, hash, at]: readonly (string | null | undefined)[]): TrimBase | undefined {
  if (id === undefined || id === null) return undefined;
  const end = parseHead(id, hash ?? null);
  return end.id === 0 ? undefined : { ...end, at: at ?? '' };
}

/** Reads the trim base in one round trip: verification starts after it (undefined: from record 1). */
export async function readBase(redis: RedisClient, keys: RedisKeys): Promise<TrimBase | undefined> {
  return toBase(await redis.hmget(keys.auditBase, 'id', 'hash', 'at'));
}

/**
 * A stored record as the archiver needs it: parsed, with the fields a segment is built on present.
 * Not the full schema check of decodeRecord (ten times the cost, the archiver's largest): the
 * segment keeps the record as it is, and `verify --archive` checks every field against its hash.
 */
function archivable(json: string | undefined): AuditRecord | undefined {
  if (json === undefined) return undefined;
  try {
    const r = JSON.parse(json) as AuditRecord;
    const ok = [r.id, r.at, r.prev, r.hash].every((f) => typeof f === 'string');
    return ok ? r : undefined;
  } catch {
    return undefined;
  }
}
