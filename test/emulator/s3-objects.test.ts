import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './support/contract.js';
import { REGION, type S3Harness, s3Harness } from './support/s3.js';

describe('S3 objects through @aws-sdk/client-s3 (path style)', () => {
  let h: S3Harness;
  let s3: S3Client;
  const bucket = 'audit-objects';

  beforeAll(async () => {
    h = await s3Harness();
    s3 = h.client();
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
  });
  afterAll(() => h.close());

  it('stores what PutObject sends (CRC32 by default) and GetObject returns it with its ETag and length', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'a/one.jsonl',
        Body: 'hello world',
        ContentType: 'application/x-ndjson',
      }),
    );
    expect(put).toMatchObject({
      ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"',
      ChecksumCRC32: 'DUoRhQ==',
      ChecksumType: 'FULL_OBJECT',
      ServerSideEncryption: 'AES256',
    });
    expect(put.VersionId).toBeUndefined();
    expect(put.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/one.jsonl' }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({
      ContentLength: 11,
      ContentType: 'application/x-ndjson',
      ETag: '"5eb63bbbe01eeed093cb22bb8f5acdc3"',
      ChecksumCRC32: 'DUoRhQ==',
      LastModified: new Date('2026-11-26T14:00:00Z'),
    });
  });

  it('decodes aws-chunked bodies (streams) and checks their trailing checksum; SHA256 and CRC64NVME too', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'stream',
        Body: Readable.from([Buffer.from('chunk one, ')]),
        ContentLength: 11,
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream', ChecksumMode: 'ENABLED' }));
    expect(head.ContentLength).toBe(11);
    expect(head.ChecksumCRC32).toBeDefined();
    for (const algorithm of ['SHA256', 'CRC64NVME', 'CRC32C', 'SHA1'] as const) {
      const out = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `sum-${algorithm}`,
          Body: 'test data..',
          ChecksumAlgorithm: algorithm,
        }),
      );
      expect(out.ETag).toBe('"e6d9226c2a86b7232933663c13467527"');
    }
    const nvme = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'sum-CRC64NVME', ChecksumMode: 'ENABLED' }),
    );
    expect(nvme.ChecksumCRC64NVME).toBe('qUVrWYOrIAM=');
  });

  it('keeps a gzip object (Content-Encoding: gzip) as sent, byte for byte', async () => {
    const body = gzipSync(Buffer.from('{"seq":1}\n{"seq":2}\n'));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'seg.jsonl.gz', Body: body, ContentEncoding: 'gzip' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'seg.jsonl.gz' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
    expect(got.ContentEncoding).toBe('gzip');
  });

  it('refuses a bad Content-MD5 (BadDigest), a malformed one (InvalidDigest) and a wrong checksum (BadDigest)', async () => {
    const wrongMd5 = await failure(() =>
      s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'something', ContentMD5: 'XUFAKrxLKna5cZ2REBfFkg==' }),
      ),
    );
    expect(wrongMd5).toEqual({
      name: 'BadDigest',
      message: 'The Content-MD5 you specified did not match what we received.',
      status: 400,
    });
    const invalid = await failure(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'something', ContentMD5: 'MTIz' })),
    );
    expect(invalid).toMatchObject({ name: 'InvalidDigest', status: 400 });
    const wrongSum = await failure(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'crc', Body: 'something', ChecksumCRC32: 'DUoRhQ==' })),
    );
    expect(wrongSum).toEqual({
      name: 'BadDigest',
      message: 'The CRC32 you specified did not match the calculated checksum.',
      status: 400,
    });
    const ok = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'something', ContentMD5: 'Q3uTDbhLgHnC3YBKcZNrXw==' }),
    );
    expect(ok.ETag).toBe('"437b930db84b8079c2dd804a71936b5f"');
    expect(await failure(() => s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'crc' })))).toEqual({
      name: 'NoSuchKey',
      message: 'The specified key does not exist.',
      status: 404,
    });
  });

  it('If-None-Match: * writes once, then answers 412 PreconditionFailed', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const again = await failure(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' })),
    );
    expect(again).toEqual({
      name: 'PreconditionFailed',
      message: 'At least one of the pre-conditions you specified did not hold',
      status: 412,
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'once' }));
    expect(await got.Body?.transformToString()).toBe('first');
    const other = await failure(() =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'x', IfNoneMatch: '"abc"' })),
    );
    expect(other).toMatchObject({ name: 'NotImplemented', status: 501 });
  });

  it('ListObjectsV2 pages with max-keys and continuation tokens, after start-after, under a prefix', async () => {
    for (let i = 0; i < 7; i++) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `pages/seg-${String(i).padStart(4, '0')}`, Body: `${i}` }),
      );
    }
    const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'pages/', MaxKeys: 3 }));
    expect(first).toMatchObject({ KeyCount: 3, MaxKeys: 3, IsTruncated: true, Prefix: 'pages/', Name: bucket });
    expect(first.Contents?.map((c) => c.Key)).toEqual(['pages/seg-0000', 'pages/seg-0001', 'pages/seg-0002']);
    expect(first.Contents?.[0]).toMatchObject({ Size: 1, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] });
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'pages/', MaxKeys: 3, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toHaveLength(7);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'pages/', StartAfter: 'pages/seg-0004' }),
    );
    expect(after).toMatchObject({ KeyCount: 2, IsTruncated: false, StartAfter: 'pages/seg-0004' });
    expect(after.NextContinuationToken).toBeUndefined();
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'pages/']);
    const bad = await failure(() => s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'nope' })));
    expect(bad).toEqual({
      name: 'InvalidArgument',
      message: 'The continuation token provided is incorrect',
      status: 400,
    });
  });

  it('a missing bucket is NoSuchBucket; HeadObject of a missing key is NotFound', async () => {
    expect(await failure(() => s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))).toEqual({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      status: 404,
    });
    expect(await failure(() => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'absent' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
  });
});
