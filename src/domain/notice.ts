/**
 * What the bot says on its own initiative, independent of Slack: the Slack adapter renders
 * these. A command's Outcome can be posted too (an announcement in a channel).
 */
import type { ApprovalRequest } from './approval.js';
import type { Outcome } from './outcome.js';

export type Notice =
  | { readonly kind: 'outcome'; readonly outcome: Outcome }
  | { readonly kind: 'text'; readonly text: string }
  /** An approval request: with buttons while pending, then its decisions and outcome. */
  | { readonly kind: 'approval'; readonly request: ApprovalRequest };
