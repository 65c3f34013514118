import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '../logging.js';
import { decodeSlackPayload } from './payload.js';

export interface RequestGuardOptions {
  readonly signingSecret: string;
  /** Bodies above this many bytes get 413, read no further than the limit. */
  readonly bodyLimit: number;
  readonly log: Logger;
  /** Unix milliseconds; tests move it. */
  readonly now?: () => number;
}

/** Slack's replay window: a timestamp further than this from now, either way, is refused. */
const WINDOW_SECONDS = 5 * 60;

/**
 * Stands before Bolt on POST /slack/events: reads the body up to the limit (413 beyond it),
 * checks the v0 signature within ±5 minutes (401), then the payload's shape (400), and only
 * then hands the request to Bolt, which finds the body already read. Bolt alone accepts a
 * timestamp from the future and dispatches bodies its listeners cannot read (see payload.ts).
 */
export function guardSlackRequests(next: RequestListener, options: RequestGuardOptions): RequestListener {
  const now = options.now ?? Date.now;
  return (req, res) => {
    const refuse = (status: number, reason: string) => {
      options.log.warn({ status, reason }, 'slack request refused');
      if (res.headersSent) return;
      // After a 413 the rest of the body is never read: the connection goes with it.
      res.writeHead(status, { 'content-type': 'text/plain', ...(status === 413 ? { connection: 'close' } : {}) });
      res.end(`${reason}\n`);
    };
    void readBody(req, options.bodyLimit).then((body) => {
      if (body === 'too-large') return refuse(413, `the body is larger than ${options.bodyLimit} bytes`);
      if (body === 'failed') return;
      const text = body.toString('utf8');
      const type = req.headers['content-type'];
      const decoded = decodeSlackPayload(type, text);
      // Slack's SSL check carries no signature; Bolt answers it and drops everything else in the body.
      const sslCheck = decoded.ok && decoded.kind === 'ssl-check';
      if (!sslCheck) {
        const unsigned = verifySignature(options.signingSecret, req, text, now());
        if (unsigned) return refuse(401, unsigned);
        if (!decoded.ok) return refuse(400, `malformed request: ${decoded.problem}`);
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      try {
        next(req, res);
      } catch (error) {
        options.log.error({ err: (error as Error).message }, 'slack request failed');
        if (!res.headersSent) sendEmpty(res, 500);
      }
    });
  };
}

/** Why the signature is not Slack's (missing, malformed, stale, from the future, or wrong); undefined if it is. */
export function verifySignature(
  secret: string,
  req: Pick<IncomingMessage, 'headers'>,
  body: string,
  nowMs: number,
): string | undefined {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return 'no signature';
  if (!/^\d{1,12}$/.test(timestamp)) return 'a malformed timestamp';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > WINDOW_SECONDS) return 'a timestamp outside the 5-minute window';
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'a wrong signature';
  return undefined;
}

/** The whole body, or why not: more than `limit` bytes (reading stops there) or a broken connection. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'failed'> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (result: 'too-large' | 'failed') => {
      req.removeAllListeners('data');
      req.pause();
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop('too-large');
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => stop('failed'));
    req.on('aborted', () => stop('failed'));
  });
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}
