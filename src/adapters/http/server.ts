import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../metrics.js';
import type { Readiness } from './readiness.js';

/** Where Bolt finds the moment a request arrived, to measure ack latency from the first byte. */
export const RECEIVED_AT = Symbol('receivedAt');
export type TimedRequest = IncomingMessage & { [RECEIVED_AT]?: number };

export interface HttpServerDeps {
  /** Bolt's request listener for POST /slack/events; absent in Socket Mode. */
  readonly slack?: RequestListener;
  readonly readiness: () => Promise<Readiness>;
  readonly metrics: Metrics;
}

const KNOWN_ROUTES = new Set(['/slack/events', '/healthz', '/readyz', '/metrics']);

/**
 * The bot's one HTTP listener: Slack's endpoint plus health, readiness and metrics. Owning the
 * server (rather than letting Bolt start one) gives every response a metric, including the 401s
 * of forged requests, and the same health endpoints in HTTP and Socket Mode.
 */
export function createHttpServer(deps: HttpServerDeps): Server {
  return createServer((req: TimedRequest, res) => {
    req[RECEIVED_AT] = performance.now();
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = KNOWN_ROUTES.has(path) ? path : 'other';
    res.on('finish', () => deps.metrics.http.inc({ route, status: String(res.statusCode) }));
    const method = req.method ?? 'GET';
    if (path === '/slack/events') {
      // In Socket Mode, Slack talks over the websocket and this endpoint does not exist.
      if (!deps.slack) return send(res, 404, 'text/plain', 'not found\n');
      return method === 'POST' ? deps.slack(req, res) : send(res, 405, 'text/plain', '');
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, route === 'other' ? 404 : 405, 'text/plain', '');
    if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') return void readyz(deps, res);
    if (path === '/metrics') return void metrics(deps, res);
    return send(res, 404, 'text/plain', 'not found\n');
  });
}

async function readyz(deps: HttpServerDeps, res: ServerResponse): Promise<void> {
  const result = await deps.readiness();
  send(res, result.ready ? 200 : 503, 'application/json', `${JSON.stringify(result)}\n`);
}

async function metrics(deps: HttpServerDeps, res: ServerResponse): Promise<void> {
  try {
    send(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
  } catch {
    send(res, 500, 'text/plain', 'metrics unavailable\n');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
