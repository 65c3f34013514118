/**
 * Break-glass (CONTRACT §11): a change made at once by someone in the `breakglass` role, past
 * approvals, gates and freezes, and owed a review by an approver other than the actor. Pure: the
 * record, its review, and when a reminder is due.
 */
import type { Where } from './target.js';

/** What a break-glass change went past; each is named in the announcement and the audit record. */
export type Bypass =
  | { readonly kind: 'approval'; readonly approvals: number; readonly approvers: readonly string[] }
  | { readonly kind: 'freeze'; readonly where: string; readonly reason: string }
  | { readonly kind: 'gates'; readonly unmet: readonly string[] };

export interface BreakGlass {
  readonly id: string;
  readonly fn: string;
  readonly alias: string;
  readonly where?: Where;
  readonly action: 'promote' | 'shift' | 'canary' | 'rollback';
  /** In words: "promote to v5", "shift 10% to v5". */
  readonly change: string;
  readonly actor: string;
  readonly reason: string;
  readonly bypassed: readonly Bypass[];
  readonly request: string;
  readonly at: string;
  /** When the review is owed (`at` + `breakglass_review`); a reminder is posted from then on. */
  readonly reviewDueAt: string;
  readonly review?: { readonly by: string; readonly at: string };
  readonly remindedAt?: string;
  readonly reminders: number;
  /** The announcements (approvals and alerts channels), updated when reviewed. */
  readonly messages: readonly { readonly channel: string; readonly ts: string }[];
  readonly revision: number;
}

/** Fewer words than this is not a reason anyone can review. */
export const MIN_REASON_WORDS = 3;
export const MIN_REASON_CHARS = 12;
export const MAX_REASON_CHARS = 500;

/** Why a reason cannot be taken, or undefined when it can. */
export function reasonProblem(reason: string): string | undefined {
  const words = reason.trim().split(/\s+/).filter(Boolean);
  if (words.length < MIN_REASON_WORDS || reason.trim().length < MIN_REASON_CHARS) {
    return `--break-glass needs a reason of at least ${MIN_REASON_WORDS} words, e.g. --break-glass checkout errors at 40%, approver unreachable`;
  }
  if (reason.length > MAX_REASON_CHARS) {
    return `the break-glass reason is ${reason.length} characters; keep it under ${MAX_REASON_CHARS}`;
  }
  return undefined;
}

/** A day between reminders once a review is overdue. */
export const REMIND_EVERY_MS = 86_400_000;

export type ReviewResult =
  | { readonly ok: true; readonly next: BreakGlass }
  | { readonly ok: false; readonly reason: string };

/**
 * The record reviewed by `by`, or why not: the actor never reviews their own change, and a
 * change is reviewed once.
 */
export function review(record: BreakGlass, by: string, at: string): ReviewResult {
  if (record.review) {
    return { ok: false, reason: `it was already reviewed by <@${record.review.by}> at ${record.review.at}` };
  }
  if (by === record.actor) return { ok: false, reason: 'you broke the glass, so someone else must review it' };
  return { ok: true, next: { ...record, review: { by, at }, revision: record.revision + 1 } };
}

/**
 * A reminder is due when the review is overdue and none was posted in the last day.
 * @example reminderDue({ reviewDueAt: '2026-01-02T00:00:00Z', reminders: 0, … }, new Date('2026-01-02T00:00:01Z')) === true
 */
export function reminderDue(record: BreakGlass, now: Date): boolean {
  if (record.review || now.getTime() < Date.parse(record.reviewDueAt)) return false;
  return record.remindedAt === undefined || now.getTime() - Date.parse(record.remindedAt) >= REMIND_EVERY_MS;
}

export function reminded(record: BreakGlass, at: string): BreakGlass {
  return { ...record, remindedAt: at, reminders: record.reminders + 1, revision: record.revision + 1 };
}

/** The bypasses in words, for the audit record and the announcement. */
export function describeBypasses(bypassed: readonly Bypass[]): string {
  if (bypassed.length === 0) return 'nothing (the change needed no approval, met its gates and was not frozen)';
  return bypassed.map(describeBypass).join(', ');
}

function describeBypass(b: Bypass): string {
  switch (b.kind) {
    case 'approval':
      return `approval (${b.approvals} by ${b.approvers.join(' or ')})`;
    case 'freeze':
      return `freeze of ${b.where} (${b.reason})`;
    case 'gates':
      return `gates (${b.unmet.join('; ')})`;
  }
}
