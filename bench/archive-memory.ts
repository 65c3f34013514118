/**
 * Redis memory of the audit log (issue 17) for a history of 1,000,000 records spread evenly over
 * 100 days, with retention on against off. Off: every record stays in Redis (the log stream, the
 * two functions' index streams, the head). On: the same history after the Archiver has archived
 * all of it and trimmed what is older than `audit_retain_in_redis: 30d`, so Redis should hold the
 * window's share, 30 %, of the records, and at most that share of the bytes. Memory is `MEMORY USAGE
 * key SAMPLES 0` (every stream node counted, not sampled) summed over the audit keys; `INFO memory`'s
 * used_memory moves with everything else on a shared Redis, so it is only reported in the notes.
 *
 * The archive store is the in-memory fake (test/fakes): what is measured is Redis, and archiving a
 * million records through the emulator's S3 would add minutes and nothing to the figure.
 * `BENCH_ARCHIVE_MEMORY_RECORDS` scales the history (default 100,000, to keep `npm run bench` short;
 * docs/benchmarks.md records a run at 1,000,000).
 */
import type { RedisClient } from '../src/adapters/redis/client.js';
import { MemoryArchiveStore } from '../test/fakes/memory-archive-store.js';
import { TestClock } from '../test/fakes/test-clock.js';
import { cleanup } from '../test/support/redis.js';
import { archiveAll, benchArchiver, benchRedis, DAY, fillLog } from './archive-world.js';
import type { Benchmark, BenchRow } from './types.js';

const RECORDS = Number(process.env.BENCH_ARCHIVE_MEMORY_RECORDS ?? 100_000);
const SPAN_DAYS = 100;
const WINDOW_DAYS = 30;
const MAX_RECORDS = 10_000;

/** Bytes of every audit key under `prefix`, and how many keys. */
async function auditBytes(redis: RedisClient, prefix: string): Promise<{ bytes: number; keys: number }> {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}{audit}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      bytes += Number(await redis.memory('USAGE', key, 'SAMPLES', 0));
      keys++;
    }
  } while (cursor !== '0');
  return { bytes, keys };
}

async function usedMemory(redis: RedisClient): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const archiveMemory: Benchmark = {
  name: 'archive-memory',
  async run(): Promise<BenchRow[]> {
    const { redis, prefix } = await benchRedis();
    try {
      const from = Date.parse('2026-01-01T00:00:00.000Z');
      const used0 = await usedMemory(redis);
      let t = performance.now();
      await fillLog(redis, prefix, RECORDS, from, SPAN_DAYS * DAY);
      const fillSeconds = (performance.now() - t) / 1000;
      const off = await auditBytes(redis, prefix);
      const used1 = await usedMemory(redis);

      const clock = new TestClock(new Date(from + SPAN_DAYS * DAY));
      const archiver = benchArchiver({
        store: new MemoryArchiveStore(),
        redis,
        prefix,
        archivePrefix: 'bench/',
        maxRecords: MAX_RECORDS,
        retainInRedisMs: WINDOW_DAYS * DAY,
        clock,
      });
      t = performance.now();
      const { runs, written } = await archiveAll(archiver);
      const archiveSeconds = (performance.now() - t) / 1000;
      const on = await auditBytes(redis, prefix);
      const used2 = await usedMemory(redis);
      const kept = await redis.xlen(`${prefix}{audit}:log`);
      const share = WINDOW_DAYS / SPAN_DAYS;
      const ratio = on.bytes / off.bytes;
      const n = RECORDS.toLocaleString('en-US');
      return [
        {
          name: `Redis memory of the audit, ${n} records over ${SPAN_DAYS} days, retention ${WINDOW_DAYS}d`,
          figure: on.bytes / 1024 / 1024,
          unit: 'MiB',
          baseline: `retention off: ${mib(off.bytes)} (${Math.round(off.bytes / RECORDS)} B a record)`,
          baselineFigure: off.bytes / 1024 / 1024,
          ratio,
          target: `ratio ≤ ${share} (the window's share)`,
          met: ratio <= share,
          notes:
            `ratio ${ratio.toFixed(4)}; ${kept.toLocaleString('en-US')} records kept (${((kept / RECORDS) * 100).toFixed(1)} %), ` +
            `${on.keys} keys on, ${off.keys} off; archived in ${written} segments of ${MAX_RECORDS} over ${runs} ` +
            `runs in ${archiveSeconds.toFixed(1)} s (filled in ${fillSeconds.toFixed(1)} s); used_memory ` +
            `+${mib(used1 - used0)} filled, +${mib(used2 - used0)} after (shared Redis: indicative only)`,
        },
      ];
    } finally {
      await cleanup(redis, prefix);
      redis.disconnect();
    }
  },
};
