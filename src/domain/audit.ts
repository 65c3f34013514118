/**
 * Audit records and their hash chain (CONTRACT §7). Each record's hash covers the previous
 * record's hash and all of its own fields, so a changed, removed or reordered record breaks
 * every hash after it, and `verify` names the first one that no longer fits.
 */
import { createHash } from 'node:crypto';
import type { Weights } from './routing.js';

export type AuditAction =
  | 'publish'
  | 'promote'
  | 'shift'
  | 'rollback'
  | 'canary.start'
  | 'canary.step'
  | 'canary.complete'
  | 'canary.pause'
  | 'canary.resume'
  | 'canary.abort'
  | 'approval.request'
  | 'approval.approve'
  | 'approval.reject'
  | 'approval.expire'
  | 'freeze'
  | 'unfreeze'
  | 'alarm.alert'
  | 'alarm.resolve'
  | 'alarm.ack'
  | 'outside.change'
  | 'outside.revert'
  | 'outside.accept'
  | 'breakglass.review'
  | 'denied';

/**
 * `pending` marks a write-ahead intent: written before the AWS call, followed by an `ok` or
 * `error` record with the same `request`. CONTRACT §7 lists only ok/error/denied; an intent
 * needs a result of its own, or a reader could not tell "about to" from "done".
 */
export type AuditResult = 'ok' | 'error' | 'denied' | 'pending';

/** An alias's traffic at one moment: its primary version and every version's share. */
export interface Snapshot {
  readonly version: string;
  readonly weights: Weights;
}

/** What a service asks to record. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: AuditAction;
  readonly function: string | null;
  readonly alias: string | null;
  readonly from: Snapshot | null;
  readonly to: Snapshot | null;
  readonly result: AuditResult;
  readonly detail: string;
  readonly request: string;
  /**
   * Where the function is (CONTRACT §9): its 12-digit account ID, when known, and region. Absent on
   * records about no function and on records written before accounts existed, which hash as before.
   */
  readonly account?: string;
  readonly region?: string;
  /** A change made with break-glass (CONTRACT §11); its reason is in `detail`. Absent otherwise. */
  readonly breakglass?: true;
}

/** A record as stored: the entry, its place in the chain and its hash. */
export interface AuditRecord extends AuditEntry {
  /** Position in the chain, from 1: consecutive, so a removed record shows as a gap. */
  readonly id: string;
  readonly at: string;
  readonly prev: string;
  readonly hash: string;
}

/** The `prev` of the first record. */
export const GENESIS = '0'.repeat(64);

/**
 * The exact bytes that are hashed: fields in a fixed order, weights with sorted keys, so that
 * the same record always hashes the same wherever it is verified.
 */
export function canonical(record: Omit<AuditRecord, 'hash'>): string {
  const fields: unknown[] = [
    record.id,
    record.at,
    record.actor,
    record.action,
    record.function,
    record.alias,
    snapshot(record.from),
    snapshot(record.to),
    record.result,
    record.detail,
    record.request,
    record.prev,
  ];
  // Appended only when present, so that every record written before they existed hashes as it did.
  if (record.account !== undefined || record.region !== undefined)
    fields.push(record.account ?? null, record.region ?? null);
  if (record.breakglass) fields.push(true);
  return JSON.stringify(fields);
}

function snapshot(s: Snapshot | null): unknown {
  if (s === null) return null;
  const weights = Object.keys(s.weights)
    .sort()
    .map((k) => [k, s.weights[k]]);
  return [s.version, weights];
}

export function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonical(record)).digest('hex');
}

/**
 * Places an entry in the chain after the record with `prev` hash at position `id - 1`.
 * The record is built field by field, not as `{ ...entry, id, at, prev }`: V8 takes a slow path
 * for a spread followed by more properties (microseconds a record, more than the SHA-256), and
 * the audit log seals every record it appends. It also keeps fields that are not part of an
 * entry out of the record.
 */
export function seal(entry: AuditEntry, place: { id: number; at: Date; prev: string }): AuditRecord {
  const unsealed: Mutable<Omit<AuditRecord, 'hash'>> = {
    actor: entry.actor,
    action: entry.action,
    function: entry.function,
    alias: entry.alias,
    from: entry.from,
    to: entry.to,
    result: entry.result,
    detail: entry.detail,
    request: entry.request,
    id: String(place.id),
    at: place.at.toISOString(),
    prev: place.prev,
  };
  if (entry.account !== undefined) unsealed.account = entry.account;
  if (entry.region !== undefined) unsealed.region = entry.region;
  if (entry.breakglass) unsealed.breakglass = true;
  const hash = hashOf(unsealed);
  const sealed: Mutable<AuditRecord> = {
    actor: unsealed.actor,
    action: unsealed.action,
    function: unsealed.function,
    alias: unsealed.alias,
    from: unsealed.from,
    to: unsealed.to,
    result: unsealed.result,
    detail: unsealed.detail,
    request: unsealed.request,
    id: unsealed.id,
    at: unsealed.at,
    prev: unsealed.prev,
    hash,
  };
  if (unsealed.account !== undefined) sealed.account = unsealed.account;
  if (unsealed.region !== undefined) sealed.region = unsealed.region;
  if (unsealed.breakglass) sealed.breakglass = true;
  return sealed;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * An intent (`pending`, written before an AWS call) and its outcome (`ok` or `error`) share the
 * request, the function, the alias and the action; an intent whose outcome never came (a crash, a
 * Redis failover between the two) is found by this key and settled by reading AWS.
 * @example intentKey({ request: 'r1', function: 'payments-api', alias: 'prod', action: 'promote' })
 */
export function intentKey(r: Pick<AuditRecord, 'request' | 'function' | 'alias' | 'action'>): string {
  return [r.request, r.function ?? '', r.alias ?? '', r.action].join('\u0000');
}

/** Whether a record opens an intent, may close one, or neither. */
export function intentRole(r: Pick<AuditRecord, 'function' | 'result'>): 'intent' | 'outcome' | undefined {
  if (r.function === null) return undefined;
  if (r.result === 'pending') return 'intent';
  return r.result === 'ok' || r.result === 'error' ? 'outcome' : undefined;
}

export type ChainProblem = { readonly id: string; readonly reason: string };

/** Where a stretch of the chain begins: its first record's id and the hash that record must chain on. */
export interface ChainStart {
  readonly id: number;
  readonly prev: string;
}

/** The whole chain: record 1 on GENESIS. */
export const CHAIN_START: ChainStart = { id: 1, prev: GENESIS };

/**
 * Checks records one at a time, in stored order, without holding the chain in memory. It starts
 * at the beginning of the chain, or anywhere in it (after records trimmed from Redis, or at an
 * archive segment): a stretch is checked from the hash its first record must chain on.
 * @example const v = new ChainVerifier(); for (const r of records) { const p = v.push(r); if (p) return p; }
 */
export class ChainVerifier {
  private expectedId: number;
  private prev: string;
  count = 0;

  constructor(start: ChainStart = CHAIN_START) {
    this.expectedId = start.id;
    this.prev = start.prev;
  }

  /** The last record checked so far (or, before any, the one the stretch chains on). */
  get last(): { readonly id: number; readonly hash: string } {
    return { id: this.expectedId - 1, hash: this.prev };
  }

  push(record: AuditRecord): ChainProblem | undefined {
    const id = String(this.expectedId);
    if (record.id !== id) {
      return { id: record.id, reason: `expected record ${id} here: records are missing or out of order` };
    }
    if (record.prev !== this.prev) return { id, reason: 'its prev does not match the hash of the record before it' };
    const { hash, ...rest } = record;
    if (hashOf(rest) !== hash) return { id, reason: 'its contents do not match its hash: the record was changed' };
    this.prev = hash;
    this.expectedId++;
    this.count++;
    return undefined;
  }

  /** The chain must end where the head says it does: records removed from the end show here. */
  finish(head: { id: number; hash: string }): ChainProblem | undefined {
    if (head.id !== this.expectedId - 1 || head.hash !== this.prev) {
      return {
        id: String(this.expectedId),
        reason: `the log ends at record ${this.expectedId - 1} but its head says ${head.id}: records were removed from the end`,
      };
    }
    return undefined;
  }
}
