import { accessBucket } from './access.js';
import { header, type S3Handler } from './context.js';
import { invalidArgument, lockedByObjectLock } from './errors.js';
import { type DeleteMarker, newVersionId, type ObjectVersion, underRetention } from './model.js';
import { markerHeaders, namedVersion } from './versions.js';

const BYPASS = 'x-amz-bypass-governance-retention';

/**
 * Whether a version may be removed now: COMPLIANCE retention never until it ends; GOVERNANCE only with
 * `x-amz-bypass-governance-retention: true` (the emulator's callers all hold s3:BypassGovernanceRetention).
 */
function checkRetention(version: ObjectVersion, nowMs: number, bypass: boolean): void {
  if (!underRetention(version, nowMs)) return;
  if (version.retention?.mode === 'COMPLIANCE' || !bypass) throw lockedByObjectLock();
}

/**
 * DeleteObject. Without a version id: a versioned bucket gets a delete marker (the versions stay, locked or not);
 * any other bucket loses the object. With one: that version is removed, unless Object Lock retains it.
 */
export const deleteObject: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  const bypassHeader = header(req, BYPASS);
  if (bypassHeader !== undefined && !bucket.lock) {
    throw invalidArgument(
      'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.',
      BYPASS,
    );
  }
  const versions = bucket.keys.get(req.key) ?? [];
  const versionId = req.query.get('versionId');
  if (versionId === null) {
    if (!bucket.versioning) {
      bucket.keys.delete(req.key);
      return { status: 204 };
    }
    const marker: DeleteMarker = {
      kind: 'marker',
      key: req.key,
      versionId: newVersionId(),
      lastModifiedMs: Math.floor(req.nowMs / 1000) * 1000,
    };
    bucket.issued.add(marker.versionId);
    bucket.keys.set(req.key, [...versions, marker]);
    return { status: 204, headers: markerHeaders(marker) };
  }
  const version = namedVersion(bucket, req.key, versionId);
  if (!version) return { status: 204, headers: bucket.versioning ? { 'x-amz-version-id': versionId } : {} };
  if (version.kind === 'object') checkRetention(version, req.nowMs, bypassHeader?.toLowerCase() === 'true');
  const rest = versions.filter((v) => v !== version);
  if (rest.length === 0) bucket.keys.delete(req.key);
  else bucket.keys.set(req.key, rest);
  if (version.kind === 'marker') return { status: 204, headers: markerHeaders(version) };
  return { status: 204, headers: bucket.versioning ? { 'x-amz-version-id': version.versionId } : {} };
};
