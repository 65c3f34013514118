/**
 * What the archive fault tests share: a policy with `audit_archive`, a locked bucket in the
 * emulator, a steady stream of audited commands, and reading back what Redis and the archive hold.
 */
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { parseSegment } from '../../src/domain/archive.js';
import { type ArchiveProblem, ArchiveVerifier, checkSeam } from '../../src/domain/archive-verify.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { decodeRecord } from '../../src/domain/audit-codec.js';
import type { BotClock } from '../support/bot-clock.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendCommand } from '../support/slack-requests.js';
import type { World } from '../support/world.js';

export const BUCKET = 'fault-audit';
export const ARCHIVE_PREFIX = 'bot/';

/** TEST_POLICY with an archive in the bot's own account (the key `test` is account 000000000000, us-east-1). */
export function archivePolicy(settings: { maxRecords: number; alertLag: string }, retainInRedis = '1d'): string {
  return `${TEST_POLICY}audit_archive:
  bucket: ${BUCKET}
  prefix: ${ARCHIVE_PREFIX}
  mode: GOVERNANCE
  retain: 1d
  interval: 10s
  max_records: ${settings.maxRecords}
  alert_lag: ${settings.alertLag}
audit_retain_in_redis: ${retainInRedis}
`;
}

/** An S3 client of the bot's own account, for the test's set-up and reading back. */
export function testS3(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

export async function createLockedBucket(s3: S3Client): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
}

export async function objectExists(s3: S3Client, key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

/** `{audit}:archived` and `{audit}:base` as numbers and keys. */
export interface RedisArchiveState {
  readonly position: number;
  readonly claim?: string;
  readonly segments: number;
  /** The last record trimmed; 0 when none ever was. */
  readonly base: number;
  readonly head: number;
}

export async function archiveState(world: Pick<World, 'redis' | 'prefix'>): Promise<RedisArchiveState> {
  const k = redisKeys(world.prefix);
  const [archived, base, head] = await Promise.all([
    world.redis.hgetall(k.auditArchived),
    world.redis.hget(k.auditBase, 'id'),
    world.redis.hget(k.auditHead, 'id'),
  ]);
  return {
    position: Number(archived.id ?? 0),
    ...(archived.claim ? { claim: archived.claim } : {}),
    segments: Number(archived.segments ?? 0),
    base: Number(base ?? 0),
    head: Number(head ?? 0),
  };
}

/** The records Redis still keeps, oldest first. */
export async function redisRecords(world: Pick<World, 'redis' | 'prefix'>): Promise<AuditRecord[]> {
  const entries = await world.redis.xrange(redisKeys(world.prefix).auditLog, '-', '+');
  return entries.map(([id, fields]) => {
    const decoded = decodeRecord(fields[fields.indexOf('rec') + 1] as string);
    if (!decoded.ok) throw new Error(`entry ${id}: ${decoded.why}`);
    return decoded.record;
  });
}

export interface ArchiveContents {
  readonly keys: string[];
  /** Every record in every segment, in listing order (duplicates kept, so that they can be found). */
  readonly records: AuditRecord[];
  readonly verifier: ArchiveVerifier;
  /** The first problem of the segments' own chain, or of the seam with Redis. */
  readonly problem?: ArchiveProblem;
}

/**
 * Every segment in the bucket, checked as `audit verify --archive` checks them: each segment's own
 * hashes, the chain between segments, and the seam with what Redis keeps.
 */
export async function readArchive(s3: S3Client, world: Pick<World, 'redis' | 'prefix'>): Promise<ArchiveContents> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: ARCHIVE_PREFIX,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const verifier = new ArchiveVerifier(ARCHIVE_PREFIX);
  const records: AuditRecord[] = [];
  let problem: ArchiveProblem | undefined;
  for (const key of keys) {
    const answer = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const text = gunzipSync(
      await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    ).toString('utf8');
    const parsed = parseSegment(text);
    if (parsed.ok) records.push(...parsed.records);
    problem ??= verifier.push(key, text);
  }
  if (problem === undefined) {
    const state = await archiveState(world);
    const kept = await redisRecords(world);
    const headHash = (await world.redis.hget(redisKeys(world.prefix).auditHead, 'hash')) ?? '';
    const first = kept[0];
    const atEnd = kept.find((r) => Number(r.id) === verifier.last.id)?.hash;
    problem = checkSeam(verifier.last, {
      head: { id: state.head, hash: headHash },
      ...(first ? { first: { id: Number(first.id), prev: first.prev } } : {}),
      ...(atEnd ? { hashAtArchiveEnd: atEnd } : {}),
    });
  }
  return { keys, records, verifier, ...(problem ? { problem } : {}) };
}

/**
 * Audited commands, one after another, to whichever bot answers (freeze and unfreeze of one alias:
 * each writes a record, and neither calls AWS). Runs until `stop()`; a bot killed mid-request is
 * skipped.
 */
export function commandStream(world: World, urls: () => readonly string[], clock: BotClock) {
  let running = true;
  let sent = 0;
  let failed = 0;
  const done = (async () => {
    for (let n = 0; running; n++) {
      const live = urls();
      const url = live[n % Math.max(1, live.length)];
      const text = n % 2 === 0 ? `freeze orders-api:prod stream ${n}` : 'unfreeze orders-api:prod';
      const ok = url
        ? await sendCommand(
            url,
            SIGNING_SECRET,
            { text, user_id: 'U0ALICE', response_url: world.slack.newResponseUrl().url },
            clock.signAt(),
          ).then(
            (reply) => reply.status === 200,
            () => false,
          )
        : false;
      if (ok) sent++;
      else failed++;
      await sleep(40);
    }
  })();
  return {
    get sent() {
      return sent;
    },
    get failed() {
      return failed;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
