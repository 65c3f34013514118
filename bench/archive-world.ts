/**
 * What the archive benchmarks share: a Redis audit log filled with records spread over time, and an
 * Archiver over it and a given store, as the bot composes it (services/compose-archive.ts).
 */
import { randomBytes } from 'node:crypto';
import { RedisAuditArchiving } from '../src/adapters/redis/audit-archiving.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { connectRedis, type RedisClient } from '../src/adapters/redis/client.js';
import { loadRedisConfig } from '../src/config.js';
import type { ArchiveStore, Clock } from '../src/ports.js';
import { Archiver } from '../src/services/archiver.js';
import { FakeNotifier } from '../test/fakes/fake-notifier.js';
import { ENTRY } from './audit-append.js';
import { throughput } from './stats.js';

export const DAY = 86_400_000;

export async function benchRedis(): Promise<{ redis: RedisClient; prefix: string }> {
  const settings = loadRedisConfig(process.env);
  if (!settings.ok) throw new Error(settings.problems.join('; '));
  const redis = connectRedis(settings.redis, { lazyConnect: true });
  await redis.connect();
  return { redis, prefix: `bench-${randomBytes(6).toString('hex')}:` };
}

/**
 * Appends `count` records (the audit-append benchmark's record, two functions taking turns) through
 * RedisAuditLog, `at` spread evenly from `from` over `spanMs`. 50 appenders: the order of `at` along
 * the chain may wobble by a few records, as it does between replicas.
 */
export async function fillLog(
  redis: RedisClient,
  prefix: string,
  count: number,
  from: number,
  spanMs: number,
): Promise<void> {
  let tick = 0;
  const step = spanMs / count;
  const clock: Clock = {
    now: () => new Date(from + Math.min(count - 1, tick++) * step),
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
  const log = new RedisAuditLog(redis, prefix, clock);
  await throughput(count, 50, (i) =>
    log.append({ ...ENTRY, function: i % 2 ? 'orders-api' : 'payments-api', request: `req-${i}` }),
  );
}

export interface ArchiverOptions {
  readonly store: ArchiveStore;
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly archivePrefix: string;
  readonly maxRecords: number;
  readonly retainInRedisMs: number;
  readonly clock: Clock;
}

export function benchArchiver(o: ArchiverOptions): Archiver {
  return new Archiver({
    store: o.store,
    archiving: new RedisAuditArchiving(o.redis, o.prefix),
    settings: {
      bucket: 'bench-audit',
      prefix: o.archivePrefix,
      mode: 'GOVERNANCE',
      retain: { unit: 'days', n: 1 },
      // Segments are cut by count: the last one too, as every run holds a multiple of maxRecords.
      intervalMs: 365 * DAY,
      maxRecords: o.maxRecords,
      alertLagMs: 3650 * DAY,
    },
    retainInRedisMs: o.retainInRedisMs,
    clock: o.clock,
    notifier: new FakeNotifier(),
    alertsChannel: 'C0ALERTS',
    warn: (message, fields) => {
      throw new Error(`${message}: ${JSON.stringify(fields)}`);
    },
    info: () => {},
  });
}

/** Runs the archiver until a run writes and trims nothing more. */
export async function archiveAll(archiver: Archiver): Promise<{ runs: number; written: number }> {
  let runs = 0;
  let written = 0;
  let trimmed: number | undefined;
  for (;;) {
    const report = await archiver.run(async () => true);
    runs++;
    if (report.failed) throw new Error(`archive run failed: ${report.failed}`);
    written += report.written;
    if (report.written === 0 && report.trimmedThrough === trimmed) return { runs, written };
    trimmed = report.trimmedThrough;
  }
}
