/**
 * The audit log in Redis (layout in keys.ts). Appends are group-committed (audit-appender.ts):
 * within a process they go to Redis in batches, one batch in flight at a time, each one atomic
 * compare-and-set script call; across replicas the compare-and-set keeps the chain linear.
 * Reads page through streams and never hold the whole log in memory.
 */

import {
  type AuditEntry,
  type AuditRecord,
  CHAIN_START,
  type ChainProblem,
  ChainVerifier,
  intentKey,
} from '../../domain/audit.js';
import { decodeRecord } from '../../domain/audit-codec.js';
import { BotError } from '../../domain/errors.js';
import type { AuditLog, AuditQuery, Clock, TrimBase, Trimmed, VerifyResult } from '../../ports.js';
import { type Durability, type Head, NO_REPLICAS, readHead } from './audit-append-script.js';
import { AuditAppender } from './audit-appender.js';
import { readBase } from './audit-archiving.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { entryNumber, field, type StreamEntry, streamPages } from './stream-pages.js';

const PAGE = 1000;

export class RedisAuditLog implements AuditLog {
  private readonly keys: RedisKeys;
  private readonly appender: AuditAppender;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    clock: Clock,
    durability: Durability = NO_REPLICAS,
  ) {
    this.keys = redisKeys(prefix);
    this.appender = new AuditAppender(redis, this.keys, clock, durability);
  }

  /** Resolves once the record is in Redis; rejects with `redis-unavailable` when it could not be written. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return this.appender.append(entry);
  }

  /** Newest first. The index narrows the read; the records themselves decide what matches. */
  async recent(query: AuditQuery): Promise<AuditRecord[]> {
    if (query.limit <= 0) return [];
    try {
      const ids: string[] = [];
      const count = Math.min(PAGE, Math.max(100, query.limit * 2));
      scan: for await (const page of streamPages(this.redis, this.keys.auditIndex(query.fn), {
        direction: 'backward',
        count,
      })) {
        for (const [, fields] of page) {
          const id = field(fields, 'id');
          if (id !== undefined && indexMatches(fields, query)) ids.push(id);
          if (ids.length === query.limit) break scan;
        }
      }
      // A record missing or unreadable here is left out: `history` shows what can be shown,
      // and `audit verify` is where damage is reported.
      const records = await this.fetch(ids);
      return records.filter((r): r is AuditRecord => r !== undefined && recordMatches(r, query));
    } catch (error) {
      throw redisFailure(error, 'reading the audit log');
    }
  }

  async pendingIntents(before: Date, limit: number): Promise<AuditRecord[]> {
    try {
      // Scored by record id: the oldest intents first.
      const members = await this.redis.zrange(this.keys.auditPending, '0', String(limit - 1), 'WITHSCORES');
      const byId = new Map<string, string>();
      for (let i = 0; i + 1 < members.length; i += 2) byId.set(members[i + 1] as string, members[i] as string);
      const records = await this.fetch([...byId.keys()]);
      return records.filter(
        (r): r is AuditRecord =>
          r !== undefined &&
          r.result === 'pending' &&
          Date.parse(r.at) < before.getTime() &&
          byId.get(r.id) === intentKey(r),
      );
    } catch (error) {
      throw redisFailure(error, 'reading the pending intents');
    }
  }

  /** Records by id, in one pipelined round trip; undefined where a record is missing or unreadable. */
  private async fetch(ids: readonly string[]): Promise<(AuditRecord | undefined)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.xrange(this.keys.auditLog, `${id}-0`, `${id}-0`);
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, entries]) => {
      if (error) throw error;
      const entry = (entries as StreamEntry[])[0];
      const decoded = entry ? decodeRecord(field(entry[1], 'rec')) : undefined;
      return decoded?.ok ? decoded.record : undefined;
    });
  }

  async verify(): Promise<VerifyResult> {
    try {
      const base = await readBase(this.redis, this.keys);
      const result = await this.verifyChain(base);
      // A trim between reading the base and reading the log looks like records missing at its
      // start; with the base moved since, the check is run again from the new base.
      if (result.ok || result.count > 0) return result;
      const now = await readBase(this.redis, this.keys);
      return now?.id === base?.id ? result : await this.verifyChain(now);
    } catch (error) {
      throw redisFailure(error, 'verifying the audit log');
    }
  }

  async trimmedBefore(): Promise<Trimmed | undefined> {
    try {
      const base = await readBase(this.redis, this.keys);
      return base && { id: base.id, at: base.at };
    } catch (error) {
      throw redisFailure(error, 'reading where the audit log was trimmed');
    }
  }

  /** The chain from the trim base (records before it are in the archive only), or from record 1. */
  private async verifyChain(base: TrimBase | undefined): Promise<VerifyResult> {
    const verifier = new ChainVerifier(base ? { id: base.id + 1, prev: base.hash } : CHAIN_START);
    const from = base ? { from: base.id + 1 } : {};
    let last: string | undefined;
    const check = async (until?: string): Promise<ChainProblem | undefined> => {
      const options = { direction: 'forward', count: PAGE, until, after: last } as const;
      for await (const page of streamPages(this.redis, this.keys.auditLog, options)) {
        for (const [entryId, fields] of page) {
          last = entryId;
          const problem = checkEntry(verifier, entryId, fields);
          if (problem) return problem;
        }
      }
      return undefined;
    };
    const broken = (problem: ChainProblem) => ({ ok: false, count: verifier.count, problem, ...from }) as const;
    const problem = await check();
    if (problem) return broken(problem);
    // The head is read after the scan: appends made during the scan may have moved it past the
    // last entry read, and those entries (up to the head) are read before judging the end.
    let head: Head;
    try {
      head = await readHead(this.redis, this.keys);
    } catch (error) {
      if (!(error instanceof BotError && error.code === 'internal')) throw error;
      return broken({ id: String(verifier.last.id + 1), reason: error.message });
    }
    const rest = head.id > (last === undefined ? 0 : entryNumber(last)) ? await check(`${head.id}-0`) : undefined;
    const end = rest ?? verifier.finish(head);
    return end ? broken(end) : { ok: true, count: verifier.count, ...from };
  }

  /** Oldest first, in chain order, from the first record kept (the trim base's next). */
  export(filter: { readonly fn?: string; readonly since?: Date }): AsyncIterable<AuditRecord> {
    return this.exportRecords(filter.fn, filter.since?.getTime() ?? Number.NEGATIVE_INFINITY);
  }

  private async *exportRecords(fn: string | undefined, since: number): AsyncGenerator<AuditRecord> {
    const keep = (r: AuditRecord) => Date.parse(r.at) >= since && (fn === undefined || r.function === fn);
    try {
      const key = fn === undefined ? this.keys.auditLog : this.keys.auditIndex(fn);
      for await (const page of streamPages(this.redis, key, { direction: 'forward', count: PAGE })) {
        if (fn === undefined) {
          for (const [entryId, fields] of page) {
            const record = readable(entryId, field(fields, 'rec'));
            if (keep(record)) yield record;
          }
        } else {
          // A dangling index entry (its record removed) is skipped, as the record is when
          // exporting everything: in both cases `audit verify` reports the removal.
          const ids = page.map(([, fields]) => field(fields, 'id') ?? '');
          for (const record of await this.fetch(ids)) if (record && keep(record)) yield record;
        }
      }
    } catch (error) {
      throw redisFailure(error, 'exporting the audit log');
    }
  }
}

/** One stored entry against the chain: readable, stored under its own id, then chained. */
function checkEntry(verifier: ChainVerifier, entryId: string, fields: readonly string[]): ChainProblem | undefined {
  const id = String(entryNumber(entryId));
  const decoded = decodeRecord(field(fields, 'rec'));
  if (!decoded.ok) return { id, reason: `entry ${entryId}: ${decoded.why}` };
  if (entryId !== `${decoded.record.id}-0`) {
    return { id, reason: `entry ${entryId} holds record ${decoded.record.id}: records were moved` };
  }
  return verifier.push(decoded.record);
}

function readable(entryId: string, rec: string | undefined): AuditRecord {
  const decoded = decodeRecord(rec);
  if (decoded.ok) return decoded.record;
  throw new BotError('internal', `audit entry ${entryId} cannot be exported: ${decoded.why}; run audit verify`);
}

function indexMatches(fields: readonly string[], q: AuditQuery): boolean {
  if (q.alias !== undefined && field(fields, 'alias') !== q.alias) return false;
  const action = field(fields, 'action');
  if (q.actions && !q.actions.some((a) => a === action)) return false;
  const result = field(fields, 'result');
  return !q.results || q.results.some((r) => r === result);
}

function recordMatches(r: AuditRecord, q: AuditQuery): boolean {
  return (
    r.function === q.fn &&
    (q.alias === undefined || r.alias === q.alias) &&
    (!q.actions || q.actions.includes(r.action)) &&
    (!q.results || q.results.includes(r.result))
  );
}
