/**
 * What the bot says on its own initiative, independent of Slack: the Slack adapter renders
 * these. A command's Outcome can be posted too (an announcement in a channel).
 */
import type { Alert } from './alert.js';
import type { Outcome } from './outcome.js';

export type Notice =
  | { readonly kind: 'outcome'; readonly outcome: Outcome }
  | { readonly kind: 'text'; readonly text: string }
  // Alarm alerts (issue 6): the alert message, rendered from the alert's whole state (posted,
  // then updated in place), and the reply in its thread when the alarm is back to OK.
  | { readonly kind: 'alarm-alert'; readonly alert: Alert }
  | { readonly kind: 'alarm-resolved'; readonly alert: Alert };
