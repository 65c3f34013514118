import { createHash } from 'node:crypto';
import { accessBucket } from './access.js';
import { header, isoDate, type S3Handler } from './context.js';
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, invalidBucketName, S3Error } from './errors.js';
import type { Bucket } from './model.js';
import { elementText, s3Document } from './xml.js';

const NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** S3's rules for a new bucket's name: 3–63 lower-case letters, digits, dots and hyphens; not an IP address. */
function validName(name: string): boolean {
  return NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--');
}

/** The canonical user id S3 shows as an account's Owner.ID: 64 hex digits, stable per account. */
export const canonicalId = (account: string): string => createHash('sha256').update(`s3:${account}`).digest('hex');

const incompatible = (what: string): S3Error =>
  new S3Error(
    'IllegalLocationConstraintException',
    400,
    `The ${what} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );

/**
 * CreateBucket in the caller's place. The LocationConstraint must name the region the request is signed for (none
 * in us-east-1); `x-amz-bucket-object-lock-enabled: true` turns on versioning and Object Lock.
 */
export const createBucket: S3Handler = (req, store) => {
  const { region, account } = req.place;
  if (!validName(req.bucket)) throw invalidBucketName(req.bucket);
  const constraint = req.body.length > 0 ? elementText(req.body.toString('utf8'), 'LocationConstraint') : undefined;
  if (region === 'us-east-1' && constraint !== undefined && constraint !== '') {
    if (constraint === 'us-east-1') {
      throw new S3Error('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', [
        ['LocationConstraint', constraint],
      ]);
    }
    throw incompatible(constraint);
  }
  if (region !== 'us-east-1' && !constraint) throw incompatible('unspecified');
  if (region !== 'us-east-1' && constraint !== region) throw incompatible(constraint ?? '');
  const existing = store.get(req.bucket);
  if (existing) {
    if (existing.place.account !== account) throw bucketAlreadyExists(req.bucket);
    // For legacy compatibility S3 answers 200 in us-east-1 to the owner re-creating a bucket there.
    if (region !== 'us-east-1' || existing.place.region !== 'us-east-1') throw bucketAlreadyOwnedByYou(req.bucket);
    return { status: 200, headers: { Location: `/${req.bucket}` } };
  }
  const locked = header(req, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
  const bucket: Bucket = {
    name: req.bucket,
    place: { account, region },
    createdMs: req.nowMs,
    versioning: locked,
    ...(locked ? { lock: {} } : {}),
    keys: new Map(),
    issued: new Set(),
  };
  store.add(bucket);
  const location = region === 'us-east-1' ? `/${req.bucket}` : `http://${req.bucket}.s3.amazonaws.com/`;
  return { status: 200, headers: { Location: location } };
};

/** HeadBucket: 200 with the bucket's region; the errors without a body, as for every HEAD. */
export const headBucket: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.place.region, 'x-amz-access-point-alias': 'false' } };
};

/** DeleteBucket: only an empty bucket (no versions, no delete markers). */
export const deleteBucket: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  if (bucket.keys.size > 0) {
    const more = bucket.versioning ? ' You must delete all versions in the bucket.' : '';
    throw new S3Error('BucketNotEmpty', 409, `The bucket you tried to delete is not empty.${more}`, [
      ['BucketName', bucket.name],
    ]);
  }
  store.delete(bucket.name);
  return { status: 204 };
};

/** ListBuckets: the caller's account's buckets in every region. */
export const listBuckets: S3Handler = (req, store) => ({
  status: 200,
  contentType: 'application/xml',
  text: s3Document([
    'ListAllMyBucketsResult',
    [
      ['Owner', [['ID', canonicalId(req.place.account)]]],
      [
        'Buckets',
        store.ownedBy(req.place.account).map((b) => [
          'Bucket',
          [
            ['Name', b.name],
            ['CreationDate', isoDate(b.createdMs)],
            ['BucketRegion', b.place.region],
          ],
        ]),
      ],
    ],
  ]),
});

/** GetBucketVersioning: `Enabled` for a bucket with Object Lock, nothing for the others. */
export const getBucketVersioning: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  return {
    status: 200,
    contentType: 'application/xml',
    text: s3Document(['VersioningConfiguration', bucket.versioning ? [['Status', 'Enabled']] : []]),
  };
};
