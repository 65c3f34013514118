import type { WebClient } from '@slack/web-api';
import { BotError } from '../../domain/errors.js';
import type { Notice } from '../../domain/notice.js';
import type { Clock, MessageRef, Notifier } from '../../ports.js';
import { ChannelPacer } from './pacer.js';
import { renderNotice } from './render/notices.js';

/**
 * The Notifier over Slack's Web API. Posts are paced per channel; a 429 is waited out for its
 * Retry-After by the WebClient (configured by the composition root) and retried, so nothing is
 * dropped in a storm.
 */
export class SlackNotifier implements Notifier {
  private readonly pacer: ChannelPacer;

  constructor(
    private readonly client: WebClient,
    clock: Clock,
  ) {
    this.pacer = new ChannelPacer(clock);
  }

  post(channel: string, notice: Notice, thread?: string): Promise<MessageRef> {
    const message = renderNotice(notice);
    return this.pacer.run(channel, () =>
      call('chat.postMessage', async () => {
        const result = await this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(thread ? { thread_ts: thread } : {}),
        });
        return { channel: result.channel ?? channel, ts: result.ts ?? '' };
      }),
    );
  }

  async update(ref: MessageRef, notice: Notice): Promise<void> {
    const message = renderNotice(notice);
    await call('chat.update', () =>
      this.client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }),
    );
  }

  async whisper(channel: string, user: string, notice: Notice): Promise<void> {
    const message = renderNotice(notice);
    await call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks }),
    );
  }

  async permalink(ref: MessageRef): Promise<string | undefined> {
    try {
      return (await this.client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts })).permalink;
    } catch {
      return undefined;
    }
  }
}

async function call<T>(method: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    throw new BotError('slack-unavailable', `${method} failed${code ? `: ${code}` : ''}`, { cause: error });
  }
}
