/**
 * An HTTP proxy between one bot process and the emulator that can SIGKILL the bot at the one moment
 * the archive fault test needs: S3 has just stored a segment (PutObject answered 200) and the bot
 * has not heard it, so it cannot have recorded the archive's new position. The answer is never
 * forwarded; the process is killed first. Every other request passes through untouched (the Host
 * header included, so that SigV4 signatures still match).
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredPut {
  readonly key: string;
  readonly victim: ChildProcess;
}

export interface KillingProxy {
  readonly url: string;
  /** The bot behind this proxy (set after it is started; replaced when it is restarted). */
  victim: ChildProcess | undefined;
  /** PutObject answers seen, by HTTP status. */
  readonly puts: Record<number, number>;
  close(): Promise<void>;
}

/**
 * `shouldKill(key)` is asked on every PutObject into `bucket` that S3 answered 200; true: the
 * victim is killed and the answer dropped, and `onKill` told.
 */
export async function startKillingProxy(
  target: string,
  bucket: string,
  shouldKill: (key: string) => boolean,
  onKill: (put: StoredPut) => void,
): Promise<KillingProxy> {
  const proxy: KillingProxy = {
    url: '',
    victim: undefined,
    puts: {},
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
  const server = createServer((req, res) => {
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      const key = putObjectKey(req, bucket);
      const victim = proxy.victim;
      if (key !== undefined) {
        const status = answer.statusCode ?? 0;
        proxy.puts[status] = (proxy.puts[status] ?? 0) + 1;
      }
      if (key !== undefined && answer.statusCode === 200 && victim && shouldKill(key)) {
        victim.kill('SIGKILL');
        answer.resume();
        req.socket.destroy();
        onKill({ key, victim });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A killed bot's sockets end abruptly; that is the point, not a failure of the proxy.
  server.on('clientError', (_error, socket) => socket.destroy());
  return proxy;
}

/** The object key of a path-style PutObject into `bucket` (`PUT /bucket/key?x-id=PutObject`), else undefined. */
function putObjectKey(req: IncomingMessage, bucket: string): string | undefined {
  if (req.method !== 'PUT' || req.headers['x-amz-copy-source']) return undefined;
  const url = new URL(req.url ?? '/', 'http://proxy');
  const head = `/${bucket}/`;
  if (!url.pathname.startsWith(head) || url.pathname.length === head.length) return undefined;
  // Sub-resources (?retention, ?legal-hold, ?tagging) are not PutObject.
  for (const name of url.searchParams.keys()) if (name !== 'x-id') return undefined;
  return decodeURIComponent(url.pathname.slice(head.length));
}
