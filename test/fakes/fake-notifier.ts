import { BotError } from '../../src/domain/errors.js';
import type { Notice } from '../../src/domain/notice.js';
import type { MessageRef, Notifier } from '../../src/ports.js';

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly thread?: string;
  notice: Notice;
  updates: number;
}

/** Slack in memory: the messages posted (with their updates and threads); posts can be made to fail. */
export class FakeNotifier implements Notifier {
  readonly messages: FakeMessage[] = [];
  private failures = 0;
  private counter = 0;
  /** Runs inside every post, before it lands: lets a test act while a post is under way. */
  duringPost?: () => Promise<void>;

  failNextPosts(times: number): void {
    this.failures = times;
  }

  async post(channel: string, notice: Notice, thread?: string): Promise<MessageRef> {
    await this.duringPost?.();
    if (this.failures > 0) {
      this.failures--;
      throw new BotError('slack-unavailable', 'chat.postMessage failed: ratelimited');
    }
    const ts = `1764165600.${String(++this.counter).padStart(6, '0')}`;
    this.messages.push({ channel, ts, ...(thread ? { thread } : {}), notice: structuredClone(notice), updates: 0 });
    return { channel, ts };
  }

  async update(ref: MessageRef, notice: Notice): Promise<void> {
    const message = this.messages.find((m) => m.channel === ref.channel && m.ts === ref.ts);
    if (!message) throw new BotError('slack-unavailable', 'chat.update failed: message_not_found');
    message.notice = structuredClone(notice);
    message.updates++;
  }

  async whisper(): Promise<void> {}

  async permalink(): Promise<string | undefined> {
    return undefined;
  }

  /** Top-level messages (not thread replies). */
  get posts(): FakeMessage[] {
    return this.messages.filter((m) => m.thread === undefined);
  }

  replies(ts: string): FakeMessage[] {
    return this.messages.filter((m) => m.thread === ts);
  }
}
