/** Messages the bot posts by itself, and who belongs to which Slack user group. */
import type { Notice } from '../domain/notice.js';

export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Messages the bot posts by itself (approval requests, alerts, rollout progress). Services hand
 * over what to say (`Notice`); the Slack adapter decides how it looks, paces posts per channel
 * and honours Slack's rate limits.
 */
export interface Notifier {
  post(channel: string, notice: Notice, thread?: string): Promise<MessageRef>;
  update(ref: MessageRef, notice: Notice): Promise<void>;
  /** A message only `user` sees. */
  whisper(channel: string, user: string, notice: Notice): Promise<void>;
  permalink(ref: MessageRef): Promise<string | undefined>;
}

/** Slack user groups: which of `groups` a user belongs to. */
export interface Directory {
  groupsOf(user: string, groups: readonly string[]): Promise<ReadonlySet<string>>;
}
