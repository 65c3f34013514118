import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

/** A message as the listeners send it: to `response_url`, in an ack, or with chat.postMessage. */
export interface SlackMessage {
  readonly response_type: 'ephemeral' | 'in_channel';
  /** The plain-text fallback: notifications and screen readers show this. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export function ephemeral(text: string, blocks: KnownBlock[] = [section(text)]): SlackMessage {
  return { response_type: 'ephemeral', text, blocks };
}

export function section(markdown: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: markdown } };
}

export function context(markdown: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: markdown }] };
}
