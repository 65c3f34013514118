/**
 * What the bot says on its own initiative, independent of Slack: the Slack adapter renders
 * these. A command's Outcome can be posted too (an announcement in a channel).
 */
import type { Outcome } from './outcome.js';

export type Notice =
  | { readonly kind: 'outcome'; readonly outcome: Outcome }
  | { readonly kind: 'text'; readonly text: string };
