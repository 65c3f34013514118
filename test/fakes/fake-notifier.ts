import type { Notice } from '../../src/domain/notice.js';
import type { MessageRef, Notifier } from '../../src/ports.js';

export interface SentMessage {
  readonly ref: MessageRef;
  notice: Notice;
  readonly thread?: string;
  updates: number;
}

/** Keeps what the bot posts, updates and whispers, for service tests (rendering is tested apart). */
export class FakeNotifier implements Notifier {
  readonly messages: SentMessage[] = [];
  readonly whispers: { channel: string; user: string; notice: Notice }[] = [];
  private ts = 0;
  /** While set, posts fail as Slack would when it is unreachable. */
  failing?: Error;

  async post(channel: string, notice: Notice, thread?: string): Promise<MessageRef> {
    if (this.failing) throw this.failing;
    const ref = { channel, ts: `${++this.ts}.000000` };
    this.messages.push({ ref, notice, ...(thread ? { thread } : {}), updates: 0 });
    return ref;
  }

  async update(ref: MessageRef, notice: Notice): Promise<void> {
    const message = this.messages.find((m) => m.ref.channel === ref.channel && m.ref.ts === ref.ts);
    if (!message) throw new Error(`no message ${ref.channel}/${ref.ts}`);
    message.notice = notice;
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
}
