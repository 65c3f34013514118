import { BotError } from '../../src/domain/errors.js';
import type { Notice } from '../../src/domain/notice.js';
import type { MessageRef, Notifier } from '../../src/ports.js';

export interface SentMessage {
  readonly ref: MessageRef;
  notice: Notice;
  readonly thread?: string;
  updates: number;
}

/**
 * Keeps what the bot posts, updates and whispers, for service tests (rendering is tested apart).
 * Posts can fail for a while (`failing`), a number of times (`failNextPosts`), or run test code
 * while under way (`duringPost`), as a slow or rate-limited Slack would.
 */
export class FakeNotifier implements Notifier {
  readonly messages: SentMessage[] = [];
  readonly whispers: { channel: string; user: string; notice: Notice }[] = [];
  private ts = 0;
  private failures = 0;
  /** While set, posts fail as Slack would when it is unreachable. */
  failing?: Error;
  /** Runs inside every post before it lands: lets a test act while a post is under way (or make it fail). */
  duringPost?: (channel: string) => Promise<void>;

  failNextPosts(times: number): void {
    this.failures = times;
  }

  async post(channel: string, notice: Notice, thread?: string): Promise<MessageRef> {
    await this.duringPost?.(channel);
    if (this.failing) throw this.failing;
    if (this.failures > 0) {
      this.failures--;
      throw new BotError('slack-unavailable', 'chat.postMessage failed: ratelimited');
    }
    const ref = { channel, ts: `${++this.ts}.000000` };
    this.messages.push({ ref, notice: structuredClone(notice), ...(thread ? { thread } : {}), updates: 0 });
    return ref;
  }

  async update(ref: MessageRef, notice: Notice): Promise<void> {
    const message = this.messages.find((m) => m.ref.channel === ref.channel && m.ref.ts === ref.ts);
    if (!message) throw new BotError('slack-unavailable', `chat.update failed: no message ${ref.channel}/${ref.ts}`);
    message.notice = structuredClone(notice);
    message.updates++;
  }

  async whisper(channel: string, user: string, notice: Notice): Promise<void> {
    this.whispers.push({ channel, user, notice });
  }

  async permalink(ref: MessageRef): Promise<string> {
    return `https://slack.test/archives/${ref.channel}/p${ref.ts.replace('.', '')}`;
  }

  /** The messages in a channel whose notice is of `kind`. */
  in(channel: string, kind?: Notice['kind']): SentMessage[] {
    return this.messages.filter((m) => m.ref.channel === channel && (kind === undefined || m.notice.kind === kind));
  }

  /** Top-level messages (not thread replies), in order. */
  get posts(): SentMessage[] {
    return this.messages.filter((m) => m.thread === undefined);
  }

  /** The replies in the thread of the message posted at `ts`. */
  replies(ts: string): SentMessage[] {
    return this.messages.filter((m) => m.thread === ts);
  }
}
