/**
 * Archive throughput (issue 17): records/s the Archiver takes from Redis to S3 (XRANGE of the
 * records after the archive's position, the segment built and its chain checked, gzip, PutObject
 * under Object Lock with a SHA-256 checksum and If-None-Match, the position moved by script), with
 * `max_records` 1,000 (the default), against the raw floor of the same work: XRANGE of the same
 * records in pages of 1,000 and one PutObject of the same bytes (the segments' gzip bodies, end to
 * end) with the same lock and checksum. Both against the emulator's S3 in this process, and one
 * Redis connection. Each run of the archiver starts from nothing archived (its position deleted, a
 * fresh key prefix in the bucket) over the same records; the two alternate.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmulator } from '../emulator/index.js';
import { S3ArchiveStore } from '../src/adapters/aws/s3-archive.js';
import { systemClock } from '../src/adapters/clock.js';
import { redisKeys } from '../src/adapters/redis/keys.js';
import type { ArchiveStore, ObjectLock } from '../src/ports.js';
import { testPolicy } from '../test/fakes/kit.js';
import { BOT_CREDENTIALS, botAws } from '../test/support/bot-aws.js';
import { cleanup } from '../test/support/redis.js';
import { archiveAll, benchArchiver, benchRedis, DAY, fillLog } from './archive-world.js';
import { alternate, median, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const RECORDS = Number(process.env.BENCH_ARCHIVE_RECORDS ?? 20_000);
const MAX_RECORDS = 1000;
const RUNS = 7;
const TARGET = 0.5;
const BUCKET = 'bench-audit';

/** The store, counting the bytes it was given: the baseline puts as many. */
class Counted implements ArchiveStore {
  bodies: Uint8Array[] = [];
  constructor(private readonly inner: ArchiveStore) {}
  async put(key: string, body: Uint8Array, lock: ObjectLock) {
    this.bodies.push(body);
    return this.inner.put(key, body, lock);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  list(prefix: string, startAfter?: string) {
    return this.inner.list(prefix, startAfter);
  }
  head(key: string) {
    return this.inner.head(key);
  }
}

export const archiveThroughput: Benchmark = {
  name: 'archive-throughput',
  async run(): Promise<BenchRow[]> {
    const emulator = await startEmulator({ clock: 'real' });
    const { redis, prefix } = await benchRedis();
    const aws = botAws(emulator.url, testPolicy());
    const s3 = new S3Client({
      endpoint: emulator.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: BOT_CREDENTIALS,
    });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
      await fillLog(redis, prefix, RECORDS, Date.now() - DAY, DAY);
      const keys = redisKeys(prefix);
      let run = 0;
      let bytes = new Uint8Array();
      let bodies: Uint8Array[] = [];
      const archived = async () => {
        await redis.del(keys.auditArchived);
        const store = new Counted(new S3ArchiveStore(aws.clients, aws.fleet.place(), BUCKET));
        const archiver = benchArchiver({
          store,
          redis,
          prefix,
          archivePrefix: `run-${run++}/`,
          maxRecords: MAX_RECORDS,
          retainInRedisMs: 3650 * DAY,
          clock: systemClock,
        });
        const t = performance.now();
        const { written } = await archiveAll(archiver);
        const seconds = (performance.now() - t) / 1000;
        if (written !== RECORDS / MAX_RECORDS)
          throw new Error(`${written} segments written, not ${RECORDS / MAX_RECORDS}`);
        bodies = store.bodies;
        bytes = Buffer.concat(bodies);
        return RECORDS / seconds;
      };
      // The same headers as the archiver's puts: Object Lock, a SHA-256 checksum, If-None-Match.
      const lockedPut = (key: string, body: Uint8Array) =>
        s3.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: key,
            Body: body,
            ChecksumAlgorithm: 'SHA256',
            IfNoneMatch: '*',
            ObjectLockMode: 'GOVERNANCE',
            ObjectLockRetainUntilDate: new Date(Date.now() + DAY),
          }),
        );
      const raw = async () => {
        const t = performance.now();
        let after = '-';
        let read = 0;
        for (;;) {
          const page = await redis.xrange(keys.auditLog, after, '+', 'COUNT', MAX_RECORDS);
          read += page.length;
          if (page.length < MAX_RECORDS) break;
          after = `(${page.at(-1)?.[0]}`;
        }
        await lockedPut(`raw-${run++}/all.bin`, bytes);
        const seconds = (performance.now() - t) / 1000;
        if (read !== RECORDS) throw new Error(`XRANGE read ${read} records, not ${RECORDS}`);
        return RECORDS / seconds;
      };
      // The floor of any archiver that writes segments of max_records: the same XRANGE pages and one
      // PutObject a segment (the same bodies), with nothing built, claimed or recorded. It tells what
      // the segment size itself costs (a request a segment) from what the archiver adds.
      const segmentedFloor = async () => {
        const t = performance.now();
        let after = '-';
        for (const body of bodies) {
          const page = await redis.xrange(keys.auditLog, after, '+', 'COUNT', MAX_RECORDS);
          after = `(${page.at(-1)?.[0]}`;
          await lockedPut(`floor-${run++}/segment.bin`, body);
        }
        return RECORDS / ((performance.now() - t) / 1000);
      };
      // One discarded pair: the JIT, the SDK's clients and the emulator warm up before anything counts.
      await archived();
      await raw();
      await segmentedFloor();
      const floors: number[] = [];
      const { a, b, ratios } = await alternate(RUNS, archived, raw, async () => {
        floors.push(await segmentedFloor());
      });
      const ratio = median(ratios);
      const floorRatios = a.map((x, i) => x / (floors[i] as number));
      return [
        {
          name: `archive ${RECORDS.toLocaleString('en-US')} records to S3 (emulator), max_records ${MAX_RECORDS}`,
          figure: median(a),
          unit: 'records/s',
          baseline: `XRANGE of the same records + one PutObject of the same ${Math.round(bytes.length / 1024)} KiB`,
          baselineFigure: median(b),
          ratio,
          target: `ratio ≥ ${TARGET}`,
          met: ratio >= TARGET,
          spread: spread(ratios),
          notes: `${RUNS} runs each way, alternating; ${RECORDS / MAX_RECORDS} segments a run; one Redis connection; the emulator in this process`,
        },
        {
          name: `archive ${RECORDS.toLocaleString('en-US')} records, against one PutObject a segment`,
          figure: median(a),
          unit: 'records/s',
          baseline: `the same XRANGE pages + ${RECORDS / MAX_RECORDS} PutObjects of the same segment bodies, nothing built or recorded`,
          baselineFigure: median(floors),
          ratio: median(floorRatios),
          spread: spread(floorRatios),
          notes:
            'what the segment size costs by itself (a request a segment) apart from what the archiver adds; no target',
        },
      ];
    } finally {
      await cleanup(redis, prefix);
      redis.disconnect();
      s3.destroy();
      aws.close();
      await emulator.close();
    }
  },
};
