/**
 * A local fake of the Slack Web API and of `response_url`, on an ephemeral port. It keeps the
 * messages the bot posts (with updates and threads), records every call, and can answer
 * `ratelimited` on demand. Tests assert on what the bot actually sent over HTTP.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token?: string;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  readonly thread_ts?: string;
  updates: number;
}

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly messages: PostedMessage[] = [];
  readonly usergroups = new Map<string, string[]>();
  private readonly events = new EventEmitter();
  private readonly rateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private readonly socketAcks = new Map<string, Record<string, unknown>>();
  private tsCounter = 0;
  private responseCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    this.events.setMaxListeners(0);
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeSlack(server, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => void fake.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      fake.sockets.handleUpgrade(req, socket, head, (ws) => fake.acceptSocket(ws));
    });
    return fake;
  }

  /** The Web API base, as SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url; what the bot posts there is kept under `id`. */
  newResponseUrl(): { id: string; url: string } {
    const id = `resp${++this.responseCounter}`;
    return { id, url: `http://127.0.0.1:${this.port}/response/${id}` };
  }

  /** The next `times` calls to `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, times: number, retryAfterSeconds = 1): void {
    this.rateLimits.set(method, { remaining: times, retryAfter: retryAfterSeconds });
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (already made or yet to come) that matches. */
  waitForCall(method: string, match: (call: ApiCall) => boolean = () => true, timeoutMs = 10_000): Promise<ApiCall> {
    return this.waitFor('call', () => this.calls.find((c) => c.method === method && match(c)), timeoutMs, method);
  }

  /** Resolves with the first post to the response_url `id` that matches. */
  waitForResponse(id: string, match: (body: Record<string, unknown>) => boolean = () => true, timeoutMs = 10_000) {
    return this.waitFor(
      'response',
      () => this.responses.find((r) => r.id === id && match(r.body))?.body,
      timeoutMs,
      `response ${id}`,
    );
  }

  /** Resolves once a Socket Mode client has connected and been greeted. */
  waitForSocket(timeoutMs = 10_000): Promise<void> {
    return this.waitFor('socket', () => (this.socket ? true : undefined), timeoutMs, 'Socket Mode connection').then(
      () => {},
    );
  }

  /** Sends an envelope over Socket Mode, as Slack does, and resolves with the client's ack. */
  async sendEnvelope(type: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.socket) throw new Error('fake Slack: no Socket Mode client connected');
    const envelopeId = `env-${++this.tsCounter}`;
    this.socket.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true, retry_attempt: 0 }),
    );
    return this.waitFor('socket-ack', () => this.socketAcks.get(envelopeId), 10_000, `ack of ${envelopeId}`);
  }

  private acceptSocket(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (message.envelope_id) {
        this.socketAcks.set(message.envelope_id, message.payload ?? {});
        this.events.emit('socket-ack');
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0LAMBDA' } }));
    this.events.emit('socket');
  }

  close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private waitFor<T>(event: string, find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off(event, check);
      };
      this.events.on(event, check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/response/')) {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      this.responses.push({ id: url.pathname.slice('/response/'.length), body });
      this.events.emit('response');
      return json(res, 200, { ok: true });
    }
    if (!url.pathname.startsWith('/api/')) return json(res, 404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    const limit = this.rateLimits.get(method);
    if (limit && limit.remaining > 0) {
      limit.remaining--;
      res.writeHead(429, { 'retry-after': String(limit.retryAfter), 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    this.calls.push({ method, args, ...(token ? { token } : {}) });
    const answer = this.answer(method, args);
    this.events.emit('call');
    json(res, 200, answer);
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          team_id: 'T0FAKE',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        const message: PostedMessage = {
          channel: String(args.channel),
          ts: this.nextTs(),
          text: String(args.text ?? ''),
          blocks: asArray(args.blocks),
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          updates: 0,
        };
        this.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = String(args.text ?? message.text);
        if (args.blocks !== undefined) message.blocks = asArray(args.blocks);
        message.updates++;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `https://fake.slack.test/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: `V${this.tsCounter++}` } };
      case 'users.info':
        return {
          ok: true,
          user: { id: args.user, name: String(args.user).toLowerCase(), real_name: String(args.user) },
        };
      case 'usergroups.users.list': {
        const users = this.usergroups.get(String(args.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, name: String(args.channel).toLowerCase() } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.tsCounter).padStart(6, '0')}`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API takes form fields whose objects are JSON strings, or a JSON body. */
function parseArgs(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
