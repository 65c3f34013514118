/**
 * Slack's side of HTTP, for a server that plays Slack: `POST /api/<method>` (the Web API, form or
 * JSON bodies, a bearer token) and `POST /response/<id>` (response_url). Observers hear every call
 * and every response, for tests to assert on and for the console to log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResponseUrls } from './response-url.js';
import { type Args, WebApi } from './web-api.js';
import type { Workspace } from './workspace.js';

export interface ApiCall {
  readonly method: string;
  readonly args: Args;
  readonly token?: string;
}

/** An answer given instead of the method's own (a 429, say), or `undefined` to answer normally. */
export type Interception = { status: number; headers: Record<string, string>; body: unknown } | undefined;

export interface SlackHttpOptions {
  /** This server's base URL, e.g. `http://127.0.0.1:3000/`. */
  readonly baseUrl: string;
  /** The workspace's own URL (auth.test, permalinks); defaults to the base URL. */
  readonly workspaceUrl?: string;
  readonly socketUrl?: string;
  /** Asked before each Web API call is answered. */
  readonly intercept?: (method: string) => Interception;
}

export class SlackHttp {
  readonly api: WebApi;
  readonly responseUrls: ResponseUrls;
  private readonly callObservers = new Set<(call: ApiCall) => void>();
  private readonly responseObservers = new Set<(id: string, body: Record<string, unknown>) => void>();

  constructor(
    readonly workspace: Workspace,
    private readonly options: SlackHttpOptions,
  ) {
    this.api = new WebApi(workspace, {
      workspaceUrl: options.workspaceUrl ?? options.baseUrl,
      ...(options.socketUrl ? { socketUrl: options.socketUrl } : {}),
    });
    this.responseUrls = new ResponseUrls(workspace, () => `${options.baseUrl}response/`);
  }

  /** The Web API base, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.options.baseUrl}api/`;
  }

  onCall(observer: (call: ApiCall) => void): void {
    this.callObservers.add(observer);
  }

  onResponse(observer: (id: string, body: Record<string, unknown>) => void): void {
    this.responseObservers.add(observer);
  }

  /** Answers the request if it is one for Slack; resolves false (having read nothing) otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/response/')) {
      const body = parseJson(await readBody(req));
      const id = path.slice('/response/'.length);
      for (const observe of this.responseObservers) observe(id, body);
      const delivery = this.responseUrls.deliver(id, body);
      res.writeHead(delivery.status, { 'content-type': 'text/plain' });
      res.end(delivery.body);
      return true;
    }
    if (!path.startsWith('/api/')) return false;
    const method = path.slice('/api/'.length);
    const raw = await readBody(req);
    const intercepted = this.options.intercept?.(method);
    if (intercepted) {
      res.writeHead(intercepted.status, { 'content-type': 'application/json', ...intercepted.headers });
      res.end(JSON.stringify(intercepted.body));
      return true;
    }
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    const call: ApiCall = { method, args, ...(token ? { token } : {}) };
    const answer = this.api.answer(method, args);
    for (const observe of this.callObservers) observe(call);
    sendJson(res, 200, answer);
    return true;
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API takes form fields whose objects are JSON strings, or a JSON body. */
export function parseArgs(raw: string, type: string | undefined): Args {
  if (type?.includes('application/json')) return parseJson(raw);
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function parseJson(raw: string): Record<string, unknown> {
  const parsed = safeJson(raw || '{}');
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
