/**
 * Server-sent events for the page: every change to the workspace that the page's person may see,
 * and the bot's state, as they happen. One stream per open page; a comment every 15 s keeps
 * proxies and browsers from timing it out.
 */
import type { ServerResponse } from 'node:http';
import type { Change, Workspace } from '../slack/workspace.js';
import type { BotLink, BotState } from './bot-link.js';
import { messageView, visible } from './views.js';

const HEARTBEAT_MS = 15_000;

interface Client {
  readonly res: ServerResponse;
  readonly user: string;
}

export class EventStreams {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(workspace: Workspace, bot: BotLink) {
    workspace.subscribe((change) => this.broadcast(change));
    bot.onState((state) => this.sendAll('bot', state));
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Opens a stream for `user`; it lasts until the page goes. */
  open(res: ServerResponse, user: string, bot: BotState): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const client = { res, user };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    // The page may have missed a state change between loading its state and opening the stream.
    write(res, 'bot', bot);
  }

  /** Ends every stream, so that the server can close. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private broadcast(change: Change): void {
    if (change.kind === 'channel') {
      this.sendAll('channel', change.channel);
      return;
    }
    if (change.kind === 'home') {
      // A Home tab is its person's alone.
      for (const c of this.clients) if (c.user === change.home.user) write(c.res, 'home', change.home);
      return;
    }
    const { message } = change;
    for (const c of this.clients) {
      if (change.kind === 'deleted') {
        if (visible(message, c.user)) write(c.res, 'delete', { channel: message.channel, ts: message.ts });
      } else if (visible(message, c.user)) {
        write(c.res, 'message', messageView(message));
      }
    }
  }

  private sendAll(event: string, data: unknown): void {
    for (const c of this.clients) write(c.res, event, data);
  }
}

function write(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
