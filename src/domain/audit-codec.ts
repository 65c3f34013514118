/**
 * Audit records as stored in Redis, in archive segments, and as `audit export` prints them: one JSON object with the
 * fields in CONTRACT §7's order. Decoding checks the shape only; whether the contents are the
 * ones that were written is the hash chain's job (ChainVerifier).
 */
import { z } from 'zod';
import type { AuditAction, AuditRecord, AuditResult } from './audit.js';

/**
 * The record as one JSON line, fields in the order of CONTRACT §7
 * (`seal` spreads the entry first, so key order must be set here, not inherited).
 */
export function encodeRecord(r: AuditRecord): string {
  // account and region (CONTRACT §9) follow the function they place, and only when present.
  return JSON.stringify({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    function: r.function,
    alias: r.alias,
    account: r.account,
    region: r.region,
    from: r.from,
    to: r.to,
    result: r.result,
    detail: r.detail,
    request: r.request,
    breakglass: r.breakglass,
    prev: r.prev,
    hash: r.hash,
  });
}

const snapshot = z.strictObject({ version: z.string(), weights: z.record(z.string(), z.number()) }).nullable();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');

// `action` and `result` are any string on purpose: a record written by a newer bot, with an
// action this one does not know, must still verify; the hash protects the value either way.
const recordSchema = z.strictObject({
  id: z.string().regex(/^[1-9][0-9]*$/, 'must be a positive integer'),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  function: z.string().nullable(),
  alias: z.string().nullable(),
  account: z.string().optional(),
  region: z.string().optional(),
  from: snapshot,
  to: snapshot,
  result: z.string(),
  detail: z.string(),
  request: z.string(),
  breakglass: z.literal(true).optional(),
  prev: hex64,
  hash: hex64,
});

export type Decoded =
  | { readonly ok: true; readonly record: AuditRecord }
  | { readonly ok: false; readonly why: string };

/** Parses a stored `rec`; `why` names the first thing wrong, for `verify` to report. */
export function decodeRecord(json: string | undefined): Decoded {
  if (json === undefined) return { ok: false, why: 'it has no rec field' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, why: 'its rec is not valid JSON' };
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'rec';
    return { ok: false, why: `its rec is not an audit record (${where}: ${issue?.message ?? 'invalid'})` };
  }
  const { account, region, breakglass, ...r } = parsed.data;
  return {
    ok: true,
    record: {
      ...r,
      action: r.action as AuditAction,
      result: r.result as AuditResult,
      ...(account === undefined ? {} : { account }),
      ...(region === undefined ? {} : { region }),
      ...(breakglass ? { breakglass } : {}),
    },
  };
}
