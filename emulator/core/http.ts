import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * Reads a whole request body, inflating it when the client compressed it (CloudWatch PutMetricData does). S3 bodies
 * are read as sent (`inflate` false): there `Content-Encoding` describes the object, not the transfer.
 */
export async function readBody(req: IncomingMessage, inflate = true): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  return inflate && encoding?.toLowerCase().includes('gzip') ? gunzipSync(raw) : raw;
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
  /** Bytes sent as they are (an S3 object); for a HEAD request Node sends only their length. */
  raw?: Buffer;
  /** Content type of the body; defaults to application/json. */
  contentType?: string;
}

/** Writes a reply with AWS's request id header; a reply without `body`, `text` or `raw` sends no content. */
export function writeReply(res: ServerResponse, reply: Reply, requestId: string): void {
  // S3 names its request id x-amz-request-id (the reply carries it); the SDK would prefer x-amzn-RequestId.
  const s3 = reply.headers?.['x-amz-request-id'] !== undefined;
  const headers: Record<string, string> = { ...(s3 ? {} : { 'x-amzn-RequestId': requestId }), ...reply.headers };
  if (reply.body === undefined && reply.text === undefined && reply.raw === undefined) {
    res.writeHead(reply.status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const payload = reply.raw ?? Buffer.from(reply.text ?? JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    ...headers,
    'content-type': reply.contentType ?? 'application/json',
    'content-length': String(payload.length),
  });
  res.end(payload);
}
