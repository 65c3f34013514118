import { header, type S3Request } from './context.js';
import { invalidArgument, missingLockConfiguration } from './errors.js';
import { type Bucket, type DefaultRetention, LOCK_MODES, type LockMode, type Retention } from './model.js';

const MODE = 'x-amz-object-lock-mode';
const UNTIL = 'x-amz-object-lock-retain-until-date';

/**
 * Java's `Date.toString()` in the Pacific time zone, as S3 echoes a rejected date
 * (`Tue Dec 31 16:00:00 PST 2019`).
 */
export function javaDate(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Los_Angeles',
      weekday: 'short',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      year: 'numeric',
      timeZoneName: 'short',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.month} ${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName} ${parts.year}`;
}

/** True when a PutObject carries either Object Lock header. */
export function hasLockHeaders(req: S3Request): boolean {
  return header(req, MODE) !== undefined || header(req, UNTIL) !== undefined;
}

/** The end of a default retention that starts now: days of 24 hours, or calendar years. */
export function defaultUntil(rule: DefaultRetention, nowMs: number): number {
  if (rule.days !== undefined) return nowMs + rule.days * 86_400_000;
  const until = new Date(nowMs);
  until.setUTCFullYear(until.getUTCFullYear() + (rule.years ?? 0));
  return until.getTime();
}

/**
 * The retention a new object version gets: from its Object Lock headers (checked as S3 checks them), else the
 * bucket's default retention, else none.
 */
export function retentionOfPut(req: S3Request, bucket: Bucket): Retention | undefined {
  const mode = header(req, MODE);
  const until = header(req, UNTIL);
  if (mode === undefined && until === undefined) {
    const rule = bucket.lock?.rule;
    return rule ? { mode: rule.mode, untilMs: defaultUntil(rule, req.nowMs) } : undefined;
  }
  if (!bucket.lock) throw missingLockConfiguration();
  const both = 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied';
  if (until === undefined) throw invalidArgument(both, UNTIL);
  if (mode === undefined) throw invalidArgument(both, MODE);
  if (!LOCK_MODES.includes(mode as LockMode)) throw invalidArgument('Unknown wormMode directive.', MODE, mode);
  const untilMs = Date.parse(until);
  if (Number.isNaN(untilMs)) throw invalidArgument('The retain until date must be in the future!', UNTIL, until);
  if (untilMs <= req.nowMs) {
    throw invalidArgument('The retain until date must be in the future!', UNTIL, javaDate(untilMs));
  }
  return { mode: mode as LockMode, untilMs };
}
