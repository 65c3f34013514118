/**
 * An alert about a change made outside the bot (CONTRACT §10): what changed and when, who did it
 * (looked up in CloudTrail, which lags), and what happened since (put back, or accepted as known).
 * Its ID is the value of its buttons; a click is checked against this record, never the click.
 */
import type { OutsideChange } from './outside.js';
import type { Routing } from './routing.js';
import type { Where } from './target.js';
import type { Identity } from './trail.js';

/** How long CloudTrail is waited for: it delivers within about 5 minutes, "not guaranteed". */
export const LOOKUP_FOR_MS = 20 * 60_000;

export type WhoState =
  | { readonly state: 'looking'; readonly since: string }
  | { readonly state: 'found'; readonly identity: Identity }
  /** No event after LOOKUP_FOR_MS, or the bot may not read CloudTrail there: said with why. */
  | { readonly state: 'unknown'; readonly why: string };

/** Fixed when the change is noticed. */
export interface OutsideFacts {
  readonly fn: string;
  readonly where?: Where;
  readonly change: OutsideChange;
  readonly detectedAt: string;
  readonly channel: string;
  /** The alias's `outside_changes`: `revert` puts it back at once. */
  readonly mode: 'alert' | 'revert';
  /**
   * Where a revert goes: what the bot last set on the alias or, if it never set it, what the alias
   * served before this change as the watch knew it (`fromWatch`). Absent: nothing to go back to.
   */
  readonly botSet?: Routing;
  readonly fromWatch?: true;
}

export interface OutsideAlert extends OutsideFacts {
  readonly id: string;
  readonly who: WhoState;
  readonly ref?: { readonly channel: string; readonly ts: string };
  readonly reverted?: { readonly by: string; readonly at: string; readonly to: Routing; readonly auditId?: string };
  /** A revert that was tried and failed (the bot's own, on a `revert` alias): why. */
  readonly revertFailed?: string;
  readonly accepted?: { readonly by: string; readonly at: string };
  /** A rollout that was under way on the alias and was paused: its ID. */
  readonly pausedRollout?: string;
  /** Grows with every change, so that a message update can tell it showed the newest state. */
  readonly rev: number;
}

export type OutsideDecision =
  | {
      readonly kind: 'revert';
      readonly by: string;
      readonly at: string;
      readonly to: Routing;
      readonly auditId?: string;
    }
  | { readonly kind: 'revert-failed'; readonly why: string }
  | { readonly kind: 'accept'; readonly by: string; readonly at: string }
  | { readonly kind: 'paused'; readonly rollout: string };

/** Whether this is an alert with buttons, or a quieter one-line note (a version published outside). */
export function isNote(alert: Pick<OutsideFacts, 'change'>): boolean {
  return alert.change.kind === 'version-published';
}

/**
 * Where a click on Revert would put the alias, while the alert still offers it: what the bot last
 * set, for a move of an alias the bot had set (a deletion cannot be undone by UpdateAlias).
 */
export function revertOffer(alert: OutsideAlert): Routing | undefined {
  if (alert.reverted || alert.accepted || !alert.botSet) return undefined;
  return alert.change.kind === 'alias-moved' ? alert.botSet : undefined;
}

/** Why a click changes nothing more (and who decided it), or undefined while it still can. */
export function outsideDecided(
  alert: OutsideAlert,
  click: 'revert' | 'accept',
): { reason: string; by?: string } | undefined {
  if (alert.reverted) return { reason: 'this change was already put back', by: alert.reverted.by };
  if (alert.accepted) return { reason: 'this change was already accepted as the known state', by: alert.accepted.by };
  if (isNote(alert)) return { reason: 'a published version is only noted: there is nothing to revert or accept' };
  if (click === 'revert' && alert.change.kind === 'alias-deleted') {
    return { reason: 'a deleted alias cannot be put back by the bot: create it again, then roll it back' };
  }
  if (click === 'revert' && !alert.botSet) {
    return { reason: 'there is no earlier state to go back to; use /lambda rollback' };
  }
  return undefined;
}
