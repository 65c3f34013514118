/**
 * A local fake of the Slack Web API and of `response_url`, on an ephemeral port: the sandbox's
 * Slack (sandbox/slack/) with what tests need on top. It records every call and every post to a
 * response_url, can answer `ratelimited` on demand, and speaks Socket Mode over a websocket.
 * Tests assert on what the bot actually sent over HTTP.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiCall, type Interception, SlackHttp, sendJson } from '../../sandbox/slack/http.js';
import { type Message, Workspace } from '../../sandbox/slack/workspace.js';

export type { ApiCall };

/** A message the bot posted; updates change it in place. */
export type PostedMessage = Message;

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** Methods answered 429 (rateLimit), in order: those calls are not in `calls`. */
  readonly rateLimited: string[] = [];
  readonly workspace = new Workspace();
  private readonly events = new EventEmitter();
  private readonly rateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  private readonly failures = new Map<string, { remaining: number; error: string }>();
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private readonly socketAcks = new Map<string, Record<string, unknown>>();
  private readonly http: SlackHttp;
  private envelopes = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    this.events.setMaxListeners(0);
    this.http = new SlackHttp(this.workspace, {
      baseUrl: `http://127.0.0.1:${port}/`,
      workspaceUrl: 'https://fake.slack.test/',
      socketUrl: `ws://127.0.0.1:${port}/socket`,
      intercept: (method) => this.limited(method),
    });
    this.http.onCall((call) => {
      this.calls.push(call);
      this.events.emit('call');
    });
    this.http.onResponse((id, body) => {
      this.responses.push({ id, body });
      this.events.emit('response');
    });
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeSlack(server, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => {
      void fake.http.handle(req, res).then((handled) => {
        if (!handled) sendJson(res, 404, { ok: false, error: 'not_found' });
      });
    });
    server.on('upgrade', (req, socket, head) => {
      fake.sockets.handleUpgrade(req, socket, head, (ws) => fake.acceptSocket(ws));
    });
    return fake;
  }

  /** Everything the bot posted that everyone sees (thread replies included), updated in place. */
  get messages(): Message[] {
    return this.workspace.messages;
  }

  /** User group ID → members, as `usergroups.users.list` answers. */
  get usergroups(): Map<string, string[]> {
    return this.workspace.usergroups;
  }

  /** The Web API base, as SLACK_API_URL. */
  get apiUrl(): string {
    return this.http.apiUrl;
  }

  /** A fresh response_url; what the bot posts there is kept under `id`. */
  newResponseUrl(): { id: string; url: string } {
    return this.http.responseUrls.issue();
  }

  /** The next `times` calls to `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, times: number, retryAfterSeconds = 1): void {
    this.rateLimits.set(method, { remaining: times, retryAfter: retryAfterSeconds });
  }

  /** The next `times` calls to `method` answer `{ ok: false, error }` (e.g. `invalid_auth`), as Slack does. */
  fail(method: string, error: string, times: number): void {
    this.failures.set(method, { remaining: times, error });
  }

  /** The Home tabs the bot published for `user` (views.publish calls that Slack took), oldest first. */
  homePublishes(user: string): ApiCall[] {
    return this.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === user);
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
    const envelopeId = `env-${++this.envelopes}`;
    this.socket.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true, retry_attempt: 0 }),
    );
    return this.waitFor('socket-ack', () => this.socketAcks.get(envelopeId), 10_000, `ack of ${envelopeId}`);
  }

  close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private limited(method: string): Interception {
    const failure = this.failures.get(method);
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      return { status: 200, headers: {}, body: { ok: false, error: failure.error } };
    }
    const limit = this.rateLimits.get(method);
    if (!limit || limit.remaining <= 0) return undefined;
    limit.remaining--;
    this.rateLimited.push(method);
    return {
      status: 429,
      headers: { 'retry-after': String(limit.retryAfter) },
      body: { ok: false, error: 'ratelimited' },
    };
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
}
