import type { Reply } from '../core/http.js';
import { accessBucket } from './access.js';
import { checksumHeader } from './checksums.js';
import { header, httpDate, isoDate, type S3Handler, type S3Request } from './context.js';
import { missingLockConfiguration, preconditionFailed, S3Error } from './errors.js';
import type { Bucket, ObjectVersion } from './model.js';
import { readableVersion } from './versions.js';
import { s3Document } from './xml.js';

/** What GetObject and HeadObject say about a version; the checksum only when the client asks for it. */
function objectHeaders(req: S3Request, bucket: Bucket, v: ObjectVersion): Record<string, string> {
  const checksum = header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  return {
    'accept-ranges': 'bytes',
    'content-type': v.contentType,
    ETag: v.etag,
    'Last-Modified': httpDate(v.lastModifiedMs),
    'x-amz-server-side-encryption': 'AES256',
    ...(v.contentEncoding ? { 'content-encoding': v.contentEncoding } : {}),
    ...(bucket.versioning ? { 'x-amz-version-id': v.versionId } : {}),
    ...(v.retention
      ? {
          'x-amz-object-lock-mode': v.retention.mode,
          'x-amz-object-lock-retain-until-date': isoDate(v.retention.untilMs),
        }
      : {}),
    ...(checksum
      ? { [checksumHeader(v.checksum.algorithm)]: v.checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
      : {}),
    ...Object.fromEntries(Object.entries(v.metadata).map(([k, value]) => [`x-amz-meta-${k}`, value])),
  };
}

/** `If-Match` / `If-None-Match` on a read: 412, or 304 Not Modified, as S3 answers them. */
function checkConditions(req: S3Request, v: ObjectVersion): Reply | undefined {
  const strip = (etag: string) => etag.replace(/^"|"$/g, '');
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined && ifMatch !== '*' && strip(ifMatch) !== strip(v.etag)) {
    throw preconditionFailed('If-Match');
  }
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && (ifNoneMatch === '*' || strip(ifNoneMatch) === strip(v.etag))) {
    return { status: 304, headers: { ETag: v.etag, 'Last-Modified': httpDate(v.lastModifiedMs) } };
  }
  return undefined;
}

function read(req: S3Request, store: Parameters<S3Handler>[1], method: 'GET' | 'HEAD'): Reply {
  const bucket = accessBucket(req, store);
  const version = readableVersion(req, bucket, method);
  const notModified = checkConditions(req, version);
  if (notModified) return notModified;
  // HEAD sends the object's length without its bytes; Node drops a HEAD answer's body.
  return {
    status: 200,
    headers: objectHeaders(req, bucket, version),
    raw: version.body,
    contentType: version.contentType,
  };
}

/** GetObject: the whole object (ranges are not emulated), with its lock, version and, if asked, checksum. */
export const getObject: S3Handler = (req, store) => read(req, store, 'GET');

/** HeadObject: GetObject's headers without the body. */
export const headObject: S3Handler = (req, store) => read(req, store, 'HEAD');

/** GetObjectRetention: the version's mode and retain-until date. */
export const getObjectRetention: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  if (!bucket.lock) throw missingLockConfiguration();
  const { retention } = readableVersion(req, bucket, 'GET');
  if (!retention) {
    throw new S3Error(
      'NoSuchObjectLockConfiguration',
      404,
      'The specified object does not have a ObjectLock configuration',
    );
  }
  return {
    status: 200,
    contentType: 'application/xml',
    text: s3Document([
      'Retention',
      [
        ['Mode', retention.mode],
        ['RetainUntilDate', isoDate(retention.untilMs)],
      ],
    ]),
  };
};
