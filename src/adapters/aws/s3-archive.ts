import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Place } from '../../domain/target.js';
import type { ArchiveStore, ObjectLock } from '../../ports.js';
import type { AwsClients } from './clients.js';

/**
 * The audit archive in S3 (CONTRACT §14): each segment put once, under Object Lock, with a SHA-256
 * checksum S3 verifies before storing it. `If-None-Match: *` makes a second put of the same
 * deterministic segment name a no-op (412), so a crash between a put and recording it costs nothing.
 * Errors other than "there is no such object" propagate: the archiver retries with backoff.
 */
export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly aws: Pick<AwsClients, 's3'>,
    private readonly place: Place,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array, lock: ObjectLock): Promise<'written' | 'exists'> {
    try {
      await this.client().send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/gzip',
          ChecksumAlgorithm: 'SHA256',
          IfNoneMatch: '*',
          ObjectLockMode: lock.mode,
          ObjectLockRetainUntilDate: lock.retainUntil,
        }),
      );
      return 'written';
    } catch (error) {
      if (statusOf(error) === 412) return 'exists';
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.client().send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string, startAfter?: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client().send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async head(key: string): Promise<{ readonly size: number; readonly lock?: ObjectLock } | undefined> {
    try {
      const answer = await this.client().send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const { ObjectLockMode: mode, ObjectLockRetainUntilDate: until } = answer;
      const lock = (mode === 'COMPLIANCE' || mode === 'GOVERNANCE') && until ? { mode, retainUntil: until } : undefined;
      return { size: answer.ContentLength ?? 0, ...(lock ? { lock } : {}) };
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  private client(): S3Client {
    return this.aws.s3(this.place);
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** NoSuchKey on GET, a bare 404 on HEAD (no body to name it). */
function missing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}
