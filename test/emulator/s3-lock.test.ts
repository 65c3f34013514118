import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './support/contract.js';
import { REGION, type S3Harness, s3Harness } from './support/s3.js';

const LOCKED = { name: 'AccessDenied', message: 'Access Denied because object protected by object lock.', status: 403 };
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-26T14:00:00Z');

describe('S3 Object Lock through @aws-sdk/client-s3', () => {
  let h: S3Harness;
  let s3: S3Client;
  const bucket = 'audit-locked';
  const plain = 'audit-plain';
  const where = { CreateBucketConfiguration: { LocationConstraint: REGION } } as const;

  beforeAll(async () => {
    h = await s3Harness();
    s3 = h.client();
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true, ...where }));
    await s3.send(new CreateBucketCommand({ Bucket: plain, ...where }));
  });
  afterAll(() => h.close());

  /** The emulator's clock (tests move it past retention dates). */
  const now = async () => Date.parse((await h.control<{ now: string }>('GET', '/_emulator/clock')).now);
  const putLocked = async (Key: string, mode: 'COMPLIANCE' | 'GOVERNANCE', days = 1) =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: `segment ${Key}`,
        ObjectLockMode: mode,
        ObjectLockRetainUntilDate: new Date((await now()) + days * DAY),
      }),
    );

  it('a bucket created with Object Lock says so, and has no default retention until one is put', async () => {
    const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect(config.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    expect(await failure(() => s3.send(new GetObjectLockConfigurationCommand({ Bucket: plain })))).toEqual({
      name: 'ObjectLockConfigurationNotFoundError',
      message: 'Object Lock configuration does not exist for this bucket',
      status: 404,
    });
  });

  it('PutObject with lock headers: GetObject, HeadObject and GetObjectRetention show the lock and the version', async () => {
    const put = await putLocked('seg/0001', 'COMPLIANCE', 7);
    expect(put.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    const until = new Date(NOW + 7 * DAY);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'seg/0001' }));
    expect(await got.Body?.transformToString()).toBe('segment seg/0001');
    expect(got).toMatchObject({
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: until,
      VersionId: put.VersionId,
      ETag: put.ETag,
      ContentLength: 16,
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'seg/0001' }));
    expect(head).toMatchObject({ ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ContentLength: 16 });
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: 'seg/0001' }));
    expect(retention.Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: until });
  });

  it('DeleteObject without a version adds a delete marker; the locked version stays readable by id', async () => {
    const put = await putLocked('seg/0002', 'COMPLIANCE');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'seg/0002' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).not.toBe(put.VersionId);
    expect(await failure(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'seg/0002' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
    const old = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'seg/0002', VersionId: put.VersionId }));
    expect(await old.Body?.transformToString()).toBe('segment seg/0002');
    const marker = await failure(() =>
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'seg/0002', VersionId: deleted.VersionId })),
    );
    expect(marker).toEqual({
      name: 'MethodNotAllowed',
      message: 'The specified method is not allowed against this resource.',
      status: 405,
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'seg/0002' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('a version in COMPLIANCE retention cannot be deleted, bypass or not, until the date passes', async () => {
    const put = await putLocked('seg/0003', 'COMPLIANCE');
    const version = { Bucket: bucket, Key: 'seg/0003', VersionId: put.VersionId };
    expect(await failure(() => s3.send(new DeleteObjectCommand(version)))).toEqual(LOCKED);
    expect(
      await failure(() => s3.send(new DeleteObjectCommand({ ...version, BypassGovernanceRetention: true }))),
    ).toEqual(LOCKED);
    await h.advance(DAY + 1000);
    const deleted = await s3.send(new DeleteObjectCommand(version));
    expect(deleted.VersionId).toBe(put.VersionId);
    expect(await failure(() => s3.send(new GetObjectCommand(version)))).toMatchObject({ name: 'NoSuchVersion' });
  });

  it('a version in GOVERNANCE retention is deleted only with x-amz-bypass-governance-retention', async () => {
    const put = await putLocked('seg/0004', 'GOVERNANCE');
    const version = { Bucket: bucket, Key: 'seg/0004', VersionId: put.VersionId };
    expect(await failure(() => s3.send(new DeleteObjectCommand(version)))).toEqual(LOCKED);
    await s3.send(new DeleteObjectCommand({ ...version, BypassGovernanceRetention: true }));
    expect(await failure(() => s3.send(new HeadObjectCommand(version)))).toMatchObject({ status: 404 });
  });

  it('lock headers are refused as S3 refuses them', async () => {
    const onPlain = await failure(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: plain,
          Key: 'k',
          Body: 'x',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(NOW + DAY),
        }),
      ),
    );
    expect(onPlain).toEqual({
      name: 'InvalidRequest',
      message: 'Bucket is missing Object Lock Configuration',
      status: 400,
    });
    const yesterday = new Date((await now()) - DAY);
    const past = await failure(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'k',
          Body: 'x',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: yesterday,
        }),
      ),
    );
    expect(past).toMatchObject({ name: 'InvalidArgument', message: 'The retain until date must be in the future!' });
    const half = await failure(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE' })),
    );
    expect(half).toMatchObject({
      name: 'InvalidArgument',
      message: 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    });
    const bypass = await failure(() =>
      s3.send(new DeleteObjectCommand({ Bucket: plain, Key: 'k', BypassGovernanceRetention: true })),
    );
    expect(bypass).toMatchObject({
      name: 'InvalidArgument',
      message: 'x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.',
    });
  });

  it('without any checksum (requestChecksumCalculation WHEN_REQUIRED) a locked put is refused', async () => {
    const bare = h.client(undefined, undefined, { requestChecksumCalculation: 'WHEN_REQUIRED' });
    const refused = await failure(() =>
      bare.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'bare',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: new Date(NOW + 5 * DAY),
        }),
      ),
    );
    expect(refused).toEqual({
      name: 'InvalidRequest',
      message:
        'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
      status: 400,
    });
  });

  it("a bucket's default retention locks objects put without lock headers", async () => {
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2 } },
        },
      }),
    );
    const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect(config.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual({ Mode: 'GOVERNANCE', Days: 2 });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'defaulted', Body: 'x' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'defaulted' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBe((await now()) + 2 * DAY);
    const noVersioning = await failure(() =>
      s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket: plain,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
        }),
      ),
    );
    expect(noVersioning).toMatchObject({ name: 'InvalidBucketState', status: 409 });
  });
});
