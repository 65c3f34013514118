/**
 * `response_url`s, as Slack hands them out with each slash command and click, and what a post to
 * one does: a message only the user sees (the default), one in the channel (`in_channel`), or a
 * change to the message clicked (`replace_original`, `delete_original`).
 */
import type { Message, Workspace } from './workspace.js';

/** Where a response goes: the channel and person of the command or click that received the URL. */
export interface ResponseContext {
  readonly channel: string;
  readonly user: string;
  /** The message whose button was clicked (for `replace_original` / `delete_original`). */
  readonly message?: { readonly channel: string; readonly ts: string };
  /** The command as the user typed it, shown only to them until a response goes in_channel. */
  readonly echo?: Message;
}

export interface Delivery {
  readonly status: number;
  /** Slack answers a plain `ok`, or the reason it refused. */
  readonly body: string;
}

/** Slack's limits: a URL takes five posts within thirty minutes. */
const MAX_USES = 5;
const LIFETIME_MS = 30 * 60_000;

interface Issued {
  readonly context?: ResponseContext;
  readonly issuedAt: number;
  uses: number;
}

export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();
  private counter = 0;

  constructor(
    private readonly workspace: Workspace,
    /** The base of every URL, e.g. `http://127.0.0.1:3000/response/`. */
    private readonly base: () => string,
  ) {}

  /**
   * A new URL. Without a context, what is posted there is only recorded (tests look at it);
   * with one, it shows in the workspace as Slack would show it.
   */
  issue(context?: ResponseContext): { id: string; url: string } {
    const id = `resp${++this.counter}`;
    this.issued.set(id, { issuedAt: Date.now(), uses: 0, ...(context ? { context } : {}) });
    return { id, url: `${this.base()}${id}` };
  }

  deliver(id: string, body: Record<string, unknown>): Delivery {
    const issued = this.issued.get(id);
    if (!issued?.context) return { status: 200, body: 'ok' };
    if (Date.now() - issued.issuedAt > LIFETIME_MS) return { status: 404, body: 'expired_url' };
    if (++issued.uses > MAX_USES) return { status: 404, body: 'used_url' };
    this.apply(issued.context, body);
    return { status: 200, body: 'ok' };
  }

  /** What Slack does with a message for a context: the ack of a command counts as its first response. */
  apply(context: ResponseContext, body: Record<string, unknown>): void {
    const ws = this.workspace;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const original = context.message;
    if (body.delete_original === true && original) {
      ws.delete(original.channel, original.ts);
      return;
    }
    if (body.replace_original === true && original) {
      ws.update(original.channel, original.ts, { text, blocks: blocks ?? [] });
      return;
    }
    const inChannel = body.response_type === 'in_channel';
    if (inChannel && context.echo?.visibleTo) ws.reveal(context.echo);
    ws.post({
      channel: context.channel,
      user: ws.bot.id,
      text,
      ...(blocks ? { blocks } : {}),
      ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
      ...(inChannel ? {} : { visibleTo: context.user }),
    });
  }
}
