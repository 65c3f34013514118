/**
 * The audit archive as the panel shows it: the segments in the bucket, read as an auditor would,
 * through S3 as the account's root (ListObjectsV2 for every key under the prefix, HeadObject for the
 * newest few: size, Object Lock mode and retain-until date). The records a segment holds are read
 * from its name, which the bot makes from the chain position (`<first>-<last>-<hash>-<hash>.jsonl.gz`).
 */
import {
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** Where the archive is, as the panel names it. */
export interface ArchivePlace {
  readonly bucket: string;
  readonly prefix: string;
  /** The policy's name for the account. */
  readonly account: string;
  readonly accountId: string;
  readonly region: string;
}

export interface SegmentView {
  readonly key: string;
  /** The first and last record ids, from the name; absent for an object not named as a segment. */
  readonly first?: number;
  readonly last?: number;
  readonly size?: number;
  readonly mode?: string;
  readonly retainUntil?: string;
  readonly written?: string;
}

export interface ArchiveSnapshot extends ArchivePlace {
  /** The bucket's Object Lock: 'Enabled', or absent (no bucket, or no lock). */
  readonly objectLock?: string;
  /** Objects under the prefix. */
  readonly segments: number;
  /** The last record archived, per the segments' names; 0 before the first. */
  readonly through: number;
  /** The newest segments, newest first, at most `shown` of them. */
  readonly newest: readonly SegmentView[];
  /** Why the bucket could not be read (S3's error name). */
  readonly error?: string;
}

const NAME = /^(\d{12})-(\d{12})-[0-9a-f]{64}-[0-9a-f]{64}\.jsonl\.gz$/;

export class ArchiveView {
  private readonly s3: S3Client;

  constructor(
    endpoint: string,
    private readonly place: ArchivePlace,
    /** Segments looked at in detail each refresh: one HeadObject each, every two seconds. */
    private readonly shown = 6,
  ) {
    this.s3 = new S3Client({
      endpoint,
      region: place.region,
      forcePathStyle: true,
      credentials: { accessKeyId: place.accountId, secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });
  }

  async snapshot(): Promise<ArchiveSnapshot> {
    try {
      const [lock, keys] = await Promise.all([this.objectLock(), this.keys()]);
      const newest = keys.slice(-this.shown).reverse();
      return {
        ...this.place,
        ...(lock ? { objectLock: lock } : {}),
        segments: keys.length,
        through: Math.max(0, ...keys.map((k) => parseName(this.place.prefix, k)?.last ?? 0)),
        newest: await Promise.all(newest.map((key) => this.segment(key))),
      };
    } catch (error) {
      const name = (error as Error).name || 'Error';
      return { ...this.place, segments: 0, through: 0, newest: [], error: name };
    }
  }

  destroy(): void {
    this.s3.destroy();
  }

  private async objectLock(): Promise<string | undefined> {
    const answer = await this.s3.send(new GetObjectLockConfigurationCommand({ Bucket: this.place.bucket }));
    return answer.ObjectLockConfiguration?.ObjectLockEnabled;
  }

  /** Every key under the prefix, in S3's order: the chain's, as the ids in the names are zero-padded. */
  private async keys(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.place.bucket,
          Prefix: this.place.prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private async segment(key: string): Promise<SegmentView> {
    const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.place.bucket, Key: key }));
    return {
      key,
      ...parseName(this.place.prefix, key),
      ...(head.ContentLength === undefined ? {} : { size: head.ContentLength }),
      ...(head.ObjectLockMode ? { mode: head.ObjectLockMode } : {}),
      ...(head.ObjectLockRetainUntilDate ? { retainUntil: head.ObjectLockRetainUntilDate.toISOString() } : {}),
      ...(head.LastModified ? { written: head.LastModified.toISOString() } : {}),
    };
  }
}

function parseName(prefix: string, key: string): { first: number; last: number } | undefined {
  const m = key.startsWith(prefix) ? NAME.exec(key.slice(prefix.length)) : null;
  return m ? { first: Number(m[1]), last: Number(m[2]) } : undefined;
}
