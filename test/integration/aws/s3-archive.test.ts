/**
 * The S3 archive store through the SDK against the emulator's S3 (CONTRACT §14): the same contract as
 * the in-memory fake, plus what only S3 does — the Object Lock it reports and the delete it refuses.
 */
import { CreateBucketCommand, DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArchiveStore } from '../../../src/adapters/aws/s3-archive.js';
import { archiveStoreContract } from '../../contract/ports/archive-store.case.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { BOT_CREDENTIALS, botAws } from '../../support/bot-aws.js';

const BUCKET = 'acme-lambda-audit';
let h: Harness;
let aws: ReturnType<typeof botAws>;
let store: S3ArchiveStore;
let s3: S3Client;
let n = 0;

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  s3 = new S3Client({
    endpoint: h.emulator.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: BOT_CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  aws = botAws(h.emulator.url, testPolicy());
  store = new S3ArchiveStore(aws.clients, aws.fleet.place(), BUCKET);
});

afterAll(async () => {
  aws?.close();
  s3?.destroy();
  await h.close();
});

archiveStoreContract('S3 in the emulator', async () => ({ store, prefix: `contract-${++n}/` }));

describe('S3 Object Lock', () => {
  it('a segment is stored locked until its retain-until date, and its deletion refused', async () => {
    const retainUntil = new Date(Date.now() + 7 * 365 * 86_400_000);
    const key = 'locked/000000000001-000000000002-a-b.jsonl.gz';
    expect(await store.put(key, new TextEncoder().encode('{}\n'), { mode: 'COMPLIANCE', retainUntil })).toBe('written');
    const head = await store.head(key);
    expect(head?.lock?.mode).toBe('COMPLIANCE');
    expect(head?.lock?.retainUntil.getTime()).toBeGreaterThanOrEqual(retainUntil.getTime() - 1000);
    const listed = [];
    for await (const k of store.list('locked/')) listed.push(k);
    expect(listed).toEqual([key]);
    // Deleting the locked version is refused, as S3 refuses it within COMPLIANCE retention.
    const { VersionId } = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const refused = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId })).then(
      () => undefined,
      (error: { name?: string }) => error.name,
    );
    expect(refused).toBe('AccessDenied');
    expect(new TextDecoder().decode(await store.get(key))).toBe('{}\n');
  });
});
