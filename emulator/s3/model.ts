import { randomBytes } from 'node:crypto';
import type { Place } from '../core/place.js';
import type { Checksum } from './checksums.js';

/** The two retention modes of S3 Object Lock. */
export const LOCK_MODES = ['COMPLIANCE', 'GOVERNANCE'] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** The retention of one object version: its mode, and until when (epoch ms). */
export interface Retention {
  mode: LockMode;
  untilMs: number;
}

/** A bucket's default retention (`Rule.DefaultRetention`): days or years, never both. */
export interface DefaultRetention {
  mode: LockMode;
  days?: number;
  years?: number;
}

/** One stored version of an object. In a bucket without versioning its id is `null`, as S3 names it. */
export interface ObjectVersion {
  kind: 'object';
  key: string;
  versionId: string;
  body: Buffer;
  etag: string;
  lastModifiedMs: number;
  contentType: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
  checksum: Checksum;
  retention?: Retention;
}

/** What DeleteObject without a version id leaves in a versioned bucket: the key reads as absent. */
export interface DeleteMarker {
  kind: 'marker';
  key: string;
  versionId: string;
  lastModifiedMs: number;
}

export type Version = ObjectVersion | DeleteMarker;

/**
 * A bucket: owned by one account, in one region (its place), with versions per key, oldest first. Object Lock can
 * only be on a versioned bucket; `lock.rule` is the default retention when one is set.
 */
export interface Bucket {
  name: string;
  place: Place;
  createdMs: number;
  versioning: boolean;
  lock?: { rule?: DefaultRetention };
  keys: Map<string, Version[]>;
  /** Every version id this bucket handed out, so that a forged one is refused as S3 refuses it. */
  issued: Set<string>;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** A fresh version id: 32 characters of S3's alphabet. */
export function newVersionId(): string {
  return [...randomBytes(32)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

/** The current version of a key (the newest, which may be a delete marker), or undefined. */
export function currentVersion(bucket: Bucket, key: string): Version | undefined {
  const versions = bucket.keys.get(key);
  return versions?.[versions.length - 1];
}

/** True while a version's retention has not passed. */
export function underRetention(version: ObjectVersion, nowMs: number): boolean {
  return version.retention !== undefined && version.retention.untilMs > nowMs;
}
