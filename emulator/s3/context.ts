import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from '../core/http.js';
import type { Place } from '../core/place.js';
import type { S3Store } from './store.js';

/** One S3 request, addressed and authenticated: what every operation reads. */
export interface S3Request {
  method: string;
  /** Empty for ListBuckets. */
  bucket: string;
  /** Empty for bucket operations. */
  key: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  place: Place;
  callerArn: string;
  nowMs: number;
}

/** One S3 operation: S3Error thrown for a refusal, a reply otherwise (the router adds S3's request headers). */
export type S3Handler = (req: S3Request, store: S3Store) => Reply;

/** A request header, first value only. */
export function header(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** S3's date header form: `Thu, 26 Nov 2026 14:00:00 GMT`. */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

/** S3's XML timestamps: `2026-11-26T14:00:00.000Z`. */
export const isoDate = (ms: number): string => new Date(ms).toISOString();
