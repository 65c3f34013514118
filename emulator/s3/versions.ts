import type { S3Request } from './context.js';
import { invalidVersionId, methodNotAllowed, noSuchKey, noSuchVersion } from './errors.js';
import { type Bucket, currentVersion, type ObjectVersion, type Version } from './model.js';

/** The headers S3 adds to an answer about a delete marker. */
export const markerHeaders = (v: Version): Record<string, string> => ({
  'x-amz-delete-marker': 'true',
  'x-amz-version-id': v.versionId,
});

/**
 * The version a request names with `versionId`, or undefined when the bucket once had it (deleted since).
 * An id the bucket never issued is refused as S3 refuses it (InvalidArgument); `null` names the object of a
 * bucket without versioning.
 */
export function namedVersion(bucket: Bucket, key: string, versionId: string): Version | undefined {
  const found = bucket.keys.get(key)?.find((v) => v.versionId === versionId);
  if (found) return found;
  if (versionId !== 'null' && !bucket.issued.has(versionId)) throw invalidVersionId(versionId);
  return undefined;
}

/**
 * The object version a read is about: the named one (NoSuchVersion when gone; a delete marker is
 * MethodNotAllowed), else the current one (NoSuchKey when absent or deleted, with the marker's headers).
 */
export function readableVersion(req: S3Request, bucket: Bucket, method: string): ObjectVersion {
  const versionId = req.query.get('versionId');
  if (versionId !== null) {
    const version = namedVersion(bucket, req.key, versionId);
    if (!version) throw noSuchVersion(req.key, versionId);
    if (version.kind === 'marker') {
      const error = methodNotAllowed(method);
      Object.assign(error.headers, markerHeaders(version));
      throw error;
    }
    return version;
  }
  const current = currentVersion(bucket, req.key);
  if (!current) throw noSuchKey(req.key);
  if (current.kind === 'marker') throw noSuchKey(req.key, markerHeaders(current));
  return current;
}
