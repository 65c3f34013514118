import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Reads a whole request body, inflating it when the client compressed it (CloudWatch PutMetricData does). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  return encoding?.toLowerCase().includes('gzip') ? gunzipSync(raw) : raw;
}

/** Parses a JSON body; an empty body is an empty object, as the SDKs send for operations without input. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** An HTTP answer the routers build and the server writes. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** A body sent as it is (the XML of the Query protocol), instead of `body` as JSON. */
  text?: string;
  /** Content type of the body; defaults to application/json. */
  contentType?: string;
}

/** Writes a reply with AWS's request id header; a reply without `body` or `text` sends no content. */
export function writeReply(res: ServerResponse, reply: Reply, requestId: string): void {
  const headers: Record<string, string> = { 'x-amzn-RequestId': requestId, ...reply.headers };
  if (reply.body === undefined && reply.text === undefined) {
    res.writeHead(reply.status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const text = reply.text ?? JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...headers,
    'content-type': reply.contentType ?? 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
