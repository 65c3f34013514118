import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from '../core/http.js';
import type { Signing } from '../core/sigv4.js';
import { createBucket, deleteBucket, getBucketVersioning, headBucket, listBuckets } from './buckets.js';
import type { S3Handler, S3Request } from './context.js';
import { deleteObject } from './delete.js';
import { S3Error, s3RequestHeaders, unknownOperation } from './errors.js';
import { listObjectsV2 } from './list.js';
import { getObjectLockConfiguration, putObjectLockConfiguration } from './lock-config.js';
import { putObject } from './put.js';
import { getObject, getObjectRetention, headObject } from './read.js';
import type { S3Store } from './store.js';

/** Where an S3 request points: a bucket (empty for ListBuckets) and a key (empty for bucket operations). */
export interface S3Address {
  bucket: string;
  key: string;
}

/** A virtual-hosted request: `BUCKET.localhost[:port]` (or `BUCKET.s3.localhost…`). */
const VIRTUAL_HOST = /^(.+?)(?:\.s3)?\.localhost(?::\d+)?$/;

/**
 * True for a request to S3: signed for the `s3` service (path style, `forcePathStyle: true`), or sent to a
 * virtual host under `localhost`.
 */
export function isS3Request(headers: IncomingHttpHeaders, signing: Signing): boolean {
  return signing.service === 's3' || VIRTUAL_HOST.test(String(headers.host ?? ''));
}

/** The bucket and key of a request, from its host (virtual-hosted style) or its path (path style). */
export function s3Address(headers: IncomingHttpHeaders, pathname: string): S3Address {
  const path = pathname.slice(1);
  const virtual = VIRTUAL_HOST.exec(String(headers.host ?? ''));
  if (virtual?.[1]) return { bucket: virtual[1], key: decodeURIComponent(path) };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decodeURIComponent(path), key: '' };
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
}

/** An S3 request matched to its operation and the IAM action it needs, not yet run. */
export interface S3Call {
  operation: string;
  action: string;
  /** The ARN an IAM refusal names. */
  resource: string;
  run(req: S3Request, store: S3Store, requestId: string): Reply;
}

type Route = [operation: string, action: string, handler: S3Handler];

function route(method: string, address: S3Address, query: URLSearchParams): Route | string {
  const sub = (name: string) => query.has(name);
  if (!address.bucket) return method === 'GET' ? ['ListBuckets', 's3:ListAllMyBuckets', listBuckets] : `${method} /`;
  if (!address.key) {
    if (sub('object-lock')) {
      if (method === 'GET')
        return ['GetObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration', getObjectLockConfiguration];
      if (method === 'PUT')
        return ['PutObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration', putObjectLockConfiguration];
    }
    if (sub('versioning') && method === 'GET')
      return ['GetBucketVersioning', 's3:GetBucketVersioning', getBucketVersioning];
    const bare = [...query.keys()].every((k) => k === 'x-id');
    if (method === 'GET' && query.get('list-type') === '2') return ['ListObjectsV2', 's3:ListBucket', listObjectsV2];
    if (bare && method === 'PUT') return ['CreateBucket', 's3:CreateBucket', createBucket];
    if (bare && method === 'HEAD') return ['HeadBucket', 's3:ListBucket', headBucket];
    if (bare && method === 'DELETE') return ['DeleteBucket', 's3:DeleteBucket', deleteBucket];
    return `${method} bucket ?${[...query.keys()].join('&')}`;
  }
  if (sub('retention') && method === 'GET') return ['GetObjectRetention', 's3:GetObjectRetention', getObjectRetention];
  const known = [...query.keys()].every((k) => k === 'x-id' || k === 'versionId');
  if (known && method === 'PUT') return ['PutObject', 's3:PutObject', putObject];
  if (known && method === 'GET') return ['GetObject', 's3:GetObject', getObject];
  if (known && method === 'HEAD') return ['HeadObject', 's3:GetObject', headObject];
  if (known && method === 'DELETE') {
    return query.has('versionId')
      ? ['DeleteObject', 's3:DeleteObjectVersion', deleteObject]
      : ['DeleteObject', 's3:DeleteObject', deleteObject];
  }
  return `${method} object ?${[...query.keys()].join('&')}`;
}

/**
 * Matches an S3 request to its operation. Copies (`x-amz-copy-source`) and the operations the bot does not use
 * answer 501 NotImplemented.
 */
export function matchS3(
  method: string,
  address: S3Address,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): S3Call {
  const matched = headers['x-amz-copy-source'] ? 'CopyObject' : route(method, address, query);
  const resource = `arn:aws:s3:::${address.bucket}${address.key ? `/${address.key}` : ''}`;
  if (typeof matched === 'string') {
    return {
      operation: 'Unknown',
      action: 's3:*',
      resource,
      run: (_req, _store, requestId) => unknownOperation(matched).toReply(requestId),
    };
  }
  const [operation, action, handler] = matched;
  return {
    operation,
    action,
    resource: address.bucket ? resource : '*',
    run(req, store, requestId) {
      try {
        const reply = handler(req, store);
        return { ...reply, headers: { ...s3RequestHeaders(requestId), ...reply.headers } };
      } catch (error) {
        if (error instanceof S3Error) return error.toReply(requestId);
        throw error;
      }
    },
  };
}
