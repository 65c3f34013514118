/**
 * What the bot says on its own initiative, independent of Slack: the Slack adapter renders
 * these. A command's Outcome can be posted too (an announcement in a channel).
 */

import type { Alert, ThreadNote } from './alert.js';
import type { ApprovalRequest } from './approval.js';
import type { BreakGlass } from './breakglass.js';
import type { VersionStats } from './judge.js';
import type { Outcome } from './outcome.js';
import type { OutsideAlert } from './outside-alert.js';
import type { Rollout } from './rollout.js';

/** A rollout's live progress: what it has done, what the versions show, what the alarms say. */
export interface RolloutView {
  readonly rollout: Rollout;
  readonly canary?: VersionStats & { readonly errorRates: readonly (number | undefined)[] };
  readonly baseline?: VersionStats & { readonly errorRates: readonly (number | undefined)[] };
  readonly alarms: readonly { readonly name: string; readonly state: string }[];
  /** The latest news: a judgement, why it paused, why it rolled back. */
  readonly note?: string;
}

export type Notice =
  | { readonly kind: 'outcome'; readonly outcome: Outcome }
  | { readonly kind: 'text'; readonly text: string }
  /** An approval request: with buttons while pending, then its decisions and outcome. */
  | { readonly kind: 'approval'; readonly request: ApprovalRequest }
  /** A rollout's progress message, updated in place at every step, with its control buttons while live. */
  | ({ readonly kind: 'rollout' } & RolloutView)
  /** A marginal judgement, asked in the progress message's thread: resume or abort. */
  | { readonly kind: 'rollout-question'; readonly rollout: Rollout; readonly question: string }
  // Alarm alerts (issue 6): the alert message, rendered from the alert's whole state (posted,
  // then updated in place), and a reply in its thread each time the alarm moves again (back to
  // OK, back in ALARM, no data; issue 15), with the notes owed since the last reply.
  | { readonly kind: 'alarm-alert'; readonly alert: Alert }
  | { readonly kind: 'alarm-thread'; readonly alert: Alert; readonly notes: readonly ThreadNote[] }
  /**
   * A change made outside the bot (CONTRACT §10): an alert with its buttons (rendered from its whole
   * state: posted, then updated as who did it is found and as people decide); a version published
   * outside the bot is a one-line note.
   */
  | { readonly kind: 'outside-alert'; readonly alert: OutsideAlert }
  /** A break-glass change (CONTRACT §11): what was bypassed and why, with its review button until reviewed. */
  | { readonly kind: 'breakglass'; readonly record: BreakGlass }
  /** Its review is overdue: posted when `breakglass_review` passes, then daily, in the announcement's thread. */
  | { readonly kind: 'breakglass-reminder'; readonly record: BreakGlass }
  /**
   * The audit archive (CONTRACT §14) is further behind than `audit_archive.alert_lag` (`behind`, with
   * the last failure when there is one), or has caught up again (`recovered`): each said once.
   */
  | ArchiveLagNotice;

export interface ArchiveLagNotice {
  readonly kind: 'archive-lag';
  readonly state: 'behind' | 'recovered';
  /** Records written but not archived yet. */
  readonly records: number;
  /** Age of the oldest of them. */
  readonly lagMs: number;
  readonly bucket: string;
  /** Why it is behind: the archive store's last error. */
  readonly reason?: string;
}
