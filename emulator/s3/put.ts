import type { Reply } from '../core/http.js';
import { accessBucket } from './access.js';
import {
  ALGORITHMS,
  algorithmNamed,
  type Checksum,
  checksumHeader,
  checksumOf,
  etagOf,
  md5Base64,
  wellFormed,
} from './checksums.js';
import { dechunk } from './chunked.js';
import { header, type S3Handler, type S3Request } from './context.js';
import { invalidRequest, notImplemented, preconditionFailed, S3Error } from './errors.js';
import { hasLockHeaders, retentionOfPut } from './lock.js';
import { currentVersion, newVersionId, type ObjectVersion } from './model.js';

/** The object's bytes and any trailing headers: `aws-chunked` bodies (the SDK's streams) are decoded first. */
function payload(req: S3Request): { data: Buffer; trailers: Record<string, string> } {
  const encoding = header(req, 'content-encoding') ?? '';
  const streaming = (header(req, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
  if (!encoding.includes('aws-chunked') && !streaming) return { data: req.body, trailers: {} };
  const decoded = dechunk(req.body);
  const declared = header(req, 'x-amz-decoded-content-length');
  if (!decoded || (declared !== undefined && Number(declared) !== decoded.data.length)) {
    throw new S3Error(
      'IncompleteBody',
      400,
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  }
  return decoded;
}

/** `Content-MD5`, when sent, must be the base64 of 16 bytes and match the body. */
function checkContentMd5(req: S3Request, data: Buffer): boolean {
  const md5 = header(req, 'content-md5');
  if (md5 === undefined) return false;
  const bytes = Buffer.from(md5, 'base64');
  if (!/^[A-Za-z0-9+/]{22}==$/.test(md5) || bytes.length !== 16) {
    throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', [['Content-MD5', md5]]);
  }
  const calculated = md5Base64(data);
  if (calculated !== md5) {
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', [
      ['ExpectedDigest', bytes.toString('hex')],
      ['CalculatedDigest', calculated],
    ]);
  }
  return true;
}

/**
 * The flexible checksum sent in a header or an `aws-chunked` trailer, checked against the body; without one, S3
 * computes a CRC64NVME for the object. `sent` tells whether the client gave one.
 */
function checksumOfPut(req: S3Request, data: Buffer, trailers: Record<string, string>): Checksum & { sent: boolean } {
  const named = header(req, 'x-amz-sdk-checksum-algorithm');
  if (named !== undefined && !algorithmNamed(named)) {
    throw invalidRequest(
      `Checksum algorithm provided is unsupported. Please try again with any of the valid types: [${ALGORITHMS.join(', ')}]`,
    );
  }
  const sent = ALGORITHMS.flatMap((algorithm) => {
    const value = header(req, checksumHeader(algorithm)) ?? trailers[checksumHeader(algorithm)];
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (sent.length > 1) {
    throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  const given = sent[0];
  if (!given) return { algorithm: 'CRC64NVME', value: checksumOf('CRC64NVME', data), sent: false };
  if (!wellFormed(given.algorithm, given.value)) {
    throw invalidRequest(`Value for ${checksumHeader(given.algorithm)} header is invalid.`);
  }
  if (checksumOf(given.algorithm, data) !== given.value) {
    throw new S3Error('BadDigest', 400, `The ${given.algorithm} you specified did not match the calculated checksum.`);
  }
  return { ...given, sent: true };
}

/** `x-amz-meta-*` headers, by their names without the prefix. */
function metadataOf(req: S3Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) out[name.slice(11)] = String(value);
  }
  return out;
}

/** The headers S3 answers a write with. */
export function writeHeaders(version: ObjectVersion, versioned: boolean): Record<string, string> {
  return {
    ETag: version.etag,
    'x-amz-server-side-encryption': 'AES256',
    [checksumHeader(version.checksum.algorithm)]: version.checksum.value,
    'x-amz-checksum-type': 'FULL_OBJECT',
    ...(versioned ? { 'x-amz-version-id': version.versionId } : {}),
  };
}

/**
 * PutObject: checks the body (Content-MD5, flexible checksum), the Object Lock headers and `If-None-Match: *`, then
 * stores a new version (a versioned bucket keeps the older ones; any other replaces the object).
 */
export const putObject: S3Handler = (req, store): Reply => {
  const bucket = accessBucket(req, store);
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
  }
  const { data, trailers } = payload(req);
  const md5 = checkContentMd5(req, data);
  const checksum = checksumOfPut(req, data, trailers);
  const retention = retentionOfPut(req, bucket);
  if (hasLockHeaders(req) && !md5 && !checksum.sent) {
    throw invalidRequest(
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  if (ifNoneMatch === '*' && currentVersion(bucket, req.key)?.kind === 'object') {
    throw preconditionFailed('If-None-Match');
  }
  const encoding = (header(req, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(',');
  const version: ObjectVersion = {
    kind: 'object',
    key: req.key,
    versionId: bucket.versioning ? newVersionId() : 'null',
    body: data,
    etag: etagOf(data),
    lastModifiedMs: Math.floor(req.nowMs / 1000) * 1000,
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    ...(encoding ? { contentEncoding: encoding } : {}),
    metadata: metadataOf(req),
    checksum: { algorithm: checksum.algorithm, value: checksum.value },
    ...(retention ? { retention } : {}),
  };
  bucket.issued.add(version.versionId);
  const versions = bucket.versioning ? (bucket.keys.get(req.key) ?? []) : [];
  bucket.keys.set(req.key, [...versions, version]);
  return { status: 200, headers: writeHeaders(version, bucket.versioning) };
};
