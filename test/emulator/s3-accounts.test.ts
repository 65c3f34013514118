import { request } from 'node:http';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure } from './support/contract.js';
import { ACCOUNT, OTHER_ACCOUNT, REGION, type S3Harness, s3Harness } from './support/s3.js';

describe('S3 per account and region, control endpoints and faults', () => {
  let h: S3Harness;
  let s3: S3Client;
  const where = { CreateBucketConfiguration: { LocationConstraint: REGION } } as const;

  beforeAll(async () => {
    h = await s3Harness();
    s3 = h.client();
  });
  beforeEach(async () => {
    await h.control('POST', '/_emulator/reset');
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
  });
  afterAll(() => h.close());

  it('CreateBucket wants the LocationConstraint of the signing region, and answers a second create as S3 does', async () => {
    // The SDK itself adds the client's region as LocationConstraint outside us-east-1; another one is refused.
    const elsewhere = await failure(() =>
      s3.send(
        new CreateBucketCommand({ Bucket: 'archive', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }),
      ),
    );
    expect(elsewhere).toEqual({
      name: 'IllegalLocationConstraintException',
      message:
        'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.',
      status: 400,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'archive', ...where }));
    expect(await failure(() => s3.send(new CreateBucketCommand({ Bucket: 'archive', ...where })))).toEqual({
      name: 'BucketAlreadyOwnedByYou',
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
      status: 409,
    });
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'archive' }));
    expect(head.BucketRegion).toBe(REGION);
    expect(await failure(() => s3.send(new HeadBucketCommand({ Bucket: 'nothing-here' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
    const virginia = h.client(ACCOUNT, 'us-east-1');
    await virginia.send(new CreateBucketCommand({ Bucket: 'legacy' }));
    // us-east-1 keeps its legacy answer: 200 to the owner creating the bucket again.
    await virginia.send(new CreateBucketCommand({ Bucket: 'legacy' }));
  });

  it("keeps accounts apart: another account's bucket is refused, its name taken, and not listed", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mine', ObjectLockEnabledForBucket: true, ...where }));
    await s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'seg', Body: 'secret' }));
    const other = h.client(OTHER_ACCOUNT);
    expect(await failure(() => other.send(new GetObjectCommand({ Bucket: 'mine', Key: 'seg' })))).toEqual({
      name: 'AccessDenied',
      message: 'Access Denied',
      status: 403,
    });
    expect(await failure(() => other.send(new CreateBucketCommand({ Bucket: 'mine', ...where })))).toMatchObject({
      name: 'BucketAlreadyExists',
      status: 409,
    });
    await other.send(new CreateBucketCommand({ Bucket: 'theirs', ...where }));
    const mine = await s3.send(new ListBucketsCommand({}));
    expect(mine.Buckets?.map((b) => b.Name)).toEqual(['mine']);
    const theirs = await other.send(new ListBucketsCommand({}));
    expect(theirs.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([['theirs', REGION]]);
    const calls = await h.control<Record<string, Record<string, number>>>('GET', '/_emulator/calls?by=place');
    expect(calls[`${ACCOUNT}/${REGION}`]).toMatchObject({ 's3.CreateBucket': 1, 's3.PutObject': 1 });
    expect(calls[`${OTHER_ACCOUNT}/${REGION}`]).toMatchObject({ 's3.GetObject': 1, 's3.CreateBucket': 2 });
  });

  it('a bucket of another region is a PermanentRedirect naming its region', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'irish', ...where }));
    const elsewhere = h.client(ACCOUNT, 'us-east-1');
    const moved = await failure(() => elsewhere.send(new GetObjectCommand({ Bucket: 'irish', Key: 'k' })));
    expect(moved).toMatchObject({ name: 'PermanentRedirect', status: 301 });
  });

  it('refuses a key the emulator never issued (InvalidAccessKeyId)', async () => {
    const stranger = h.client(ACCOUNT, REGION, {
      credentials: { accessKeyId: 'ASIAUNKNOWNKEY000000', secretAccessKey: 'x', sessionToken: 'x' },
    });
    expect(await failure(() => stranger.send(new ListBucketsCommand({})))).toEqual({
      name: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      status: 403,
    });
  });

  it("refuses a session whose role was deleted, in IAM's words", async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/archiver`;
    await h.control('PUT', '/_emulator/roles', { arn: role, trust: [`arn:aws:iam::${ACCOUNT}:root`] });
    const sts = new STSClient({
      endpoint: h.emulator.url,
      region: REGION,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'bot' }));
    sts.destroy();
    const session = h.client(ACCOUNT, REGION, {
      credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: 'x', sessionToken: c?.SessionToken ?? '' },
    });
    await session.send(new CreateBucketCommand({ Bucket: 'by-session', ...where }));
    await h.control('DELETE', `/_emulator/roles?arn=${encodeURIComponent(role)}`);
    const refused = await failure(() =>
      session.send(new PutObjectCommand({ Bucket: 'by-session', Key: 'seg/1', Body: 'x' })),
    );
    expect(refused).toEqual({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/archiver/bot is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::by-session/seg/1" because no identity-based policy allows the s3:PutObject action`,
      status: 403,
    });
  });

  it('the tamper endpoint rewrites locked bytes and the removal endpoint deletes a locked object', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'vault', ObjectLockEnabledForBucket: true, ...where }));
    const retain = {
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2033-11-26T00:00:00Z'),
    } as const;
    const put = await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'seg/1', Body: 'original', ...retain }));
    await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'seg/2', Body: 'second', ...retain }));
    const tampered = await h.control<{ etag: string }>('PUT', '/_emulator/s3/tamper', {
      bucket: 'vault',
      key: 'seg/1',
      body: 'forged',
      account: ACCOUNT,
      region: REGION,
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'vault', Key: 'seg/1' }));
    expect(await got.Body?.transformToString()).toBe('forged');
    expect(got.ETag).toBe(tampered.etag);
    expect(got.ETag).not.toBe(put.ETag);
    expect(got.VersionId).toBe(put.VersionId);
    await h.control('DELETE', '/_emulator/s3/object', { bucket: 'vault', key: 'seg/2' });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'vault' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['seg/1']);
    const wrongPlace = failure(() =>
      h.control('PUT', '/_emulator/s3/tamper', { bucket: 'vault', key: 'seg/1', account: OTHER_ACCOUNT }),
    );
    expect(await wrongPlace).toMatchObject({ message: expect.stringContaining('no bucket vault') });
  });

  it('s3 faults: SlowDown is retried by the SDK; an injected 5xx is InternalError', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'flaky', ...where }));
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 's3', operation: 'PutObject', throttle: 1, times: 1 }],
    });
    const patient = h.client(ACCOUNT, REGION, { maxAttempts: 3 });
    await patient.send(new PutObjectCommand({ Bucket: 'flaky', Key: 'k', Body: 'x' }));
    expect((await h.control<Record<string, number>>('GET', '/_emulator/calls'))['s3.PutObject']).toBe(2);
    await h.control('PUT', '/_emulator/faults', { rules: [{ service: 's3', operation: '*', error5xx: 1 }] });
    expect(await failure(() => s3.send(new GetObjectCommand({ Bucket: 'flaky', Key: 'k' })))).toEqual({
      name: 'InternalError',
      message: 'We encountered an internal error. Please try again.',
      status: 500,
    });
  });

  it('answers virtual-hosted requests (BUCKET.localhost)', async () => {
    const local = h.client('000000000000', 'us-east-1');
    await local.send(new CreateBucketCommand({ Bucket: 'hosted' }));
    await local.send(new PutObjectCommand({ Bucket: 'hosted', Key: 'dir/file.txt', Body: 'by host' }));
    const { port } = h.emulator;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/dir/file.txt',
          headers: { host: `hosted.localhost:${port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString()}`));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('200 by host');
  });
});
