/**
 * `audit_archive:` and `audit_retain_in_redis:` of the policy file (CONTRACT §14): their schema, the
 * check that the archive's account exists, and the domain value built from them.
 */
import { z } from 'zod';
import { type Period, parseDuration, parsePeriod, periodMs } from '../domain/duration.js';
import type { AuditArchivePolicy } from '../domain/policy-model.js';
import { regionSchema } from './policy-accounts.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

function period(minMs: number, maxMs: number, hint: string, example: string) {
  return z.string().transform((text, ctx): Period => {
    const p = parsePeriod(text);
    if (p === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a period like ${example}` });
    else if (periodMs(p) < minMs || periodMs(p) > maxMs) ctx.addIssue({ code: 'custom', message: hint });
    return p ?? { unit: 'ms', n: 0 };
  });
}

function duration(minMs: number, maxMs: number, hint: string) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 30s, 5m or 1h` });
    else if (ms < minMs || ms > maxMs) ctx.addIssue({ code: 'custom', message: hint });
    return ms ?? 0;
  });
}

/** S3's rules for a bucket name (3–63 lower-case letters, digits, dots and hyphens, no leading or trailing dot or hyphen). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const auditArchiveSchema = z.strictObject({
  bucket: z.string().regex(BUCKET, 'must be an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)'),
  // A prefix that is not empty ends with '/', so that a segment's name never runs into the prefix's last word.
  prefix: z
    .string()
    .regex(/^([^/].*\/)?$/, 'must be empty or end with "/" (and not start with one)')
    .default('lambda-release-bot/'),
  account: z.string().min(1).optional(),
  region: regionSchema.optional(),
  mode: z.enum(['COMPLIANCE', 'GOVERNANCE'], { error: 'must be COMPLIANCE or GOVERNANCE' }),
  // Object Lock counts retention in days or years; a day is its shortest, 100 years is past any audit.
  retain: period(DAY, 100 * 365 * DAY, 'must be between 1d and 100y', '7y or 400d'),
  interval: duration(10_000, DAY, 'must be between 10s and 1 day').default(5 * MINUTE),
  max_records: z.int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000').default(1000),
  alert_lag: duration(MINUTE, 30 * DAY, 'must be between 1m and 30 days').default(60 * MINUTE),
});

/** Records stay in Redis at least a day (history, rollback and soak facts read them), at most ten years. */
export const retainInRedisSchema = period(DAY, 3650 * DAY, 'must be between 1d and 3650d', '30d').default({
  unit: 'days',
  n: 30,
});

export type RawAuditArchive = z.infer<typeof auditArchiveSchema>;

/** The archive's account must be one in `accounts:`; absent, it is the bot's own. */
export function checkArchive(raw: RawAuditArchive | undefined, accounts: readonly string[]): string[] {
  if (raw?.account === undefined || accounts.includes(raw.account)) return [];
  const known = accounts.length > 0 ? ` (it has ${accounts.join(', ')})` : ' (it has none)';
  return [`audit_archive.account: no account "${raw.account}" in accounts${known}; leave it out for the bot's own`];
}

export function toAuditArchive(raw: RawAuditArchive): AuditArchivePolicy {
  return {
    bucket: raw.bucket,
    prefix: raw.prefix,
    ...(raw.account ? { account: raw.account } : {}),
    ...(raw.region ? { region: raw.region } : {}),
    mode: raw.mode,
    retain: raw.retain,
    intervalMs: raw.interval,
    maxRecords: raw.max_records,
    alertLagMs: raw.alert_lag,
  };
}
