/**
 * Audit append throughput: records/s through RedisAuditLog with 50 concurrent appenders, against
 * raw XADD of records of the same size on the same kind of connection at the same concurrency,
 * measured alternately in the same run so that both see the same machine and the same Redis.
 * The ratio says what the chain costs: client-side hashing, the compare-and-set script and the
 * index entry, less what group commit saves.
 */

import { randomBytes } from 'node:crypto';
import { systemClock } from '../src/adapters/clock.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { connectRedis } from '../src/adapters/redis/client.js';
import { loadRedisConfig } from '../src/config.js';
import { type AuditEntry, GENESIS, seal } from '../src/domain/audit.js';
import { encodeRecord } from '../src/domain/audit-codec.js';
import { cleanup } from '../test/support/redis.js';
import { alternate, median, spread, throughput } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const APPENDERS = 50;
const RECORDS_PER_RUN = 20_000;
const RUNS = 9;
const TARGET = 0.5;

/** A typical record: a canary step with two versions' weights (audit-append-sentinel appends it too). */
export const ENTRY: AuditEntry = {
  actor: 'U0ALICE0001',
  action: 'canary.step',
  function: 'payments-api',
  alias: 'prod',
  from: { version: '41', weights: { '41': 0.9, '42': 0.1 } },
  to: { version: '41', weights: { '41': 0.75, '42': 0.25 } },
  result: 'ok',
  detail: 'step 2 of 4: 25% to v42, alarms OK',
  request: 'req-abcdefghjkmnpqrs',
};

export const auditAppend: Benchmark = {
  name: 'audit-append',
  async run(): Promise<BenchRow[]> {
    const settings = loadRedisConfig(process.env);
    if (!settings.ok) throw new Error(settings.problems.join('; '));
    const redis = connectRedis(settings.redis, { lazyConnect: true });
    await redis.connect();
    const prefix = `bench-${randomBytes(6).toString('hex')}:`;
    const clock = systemClock;
    // Same bytes as the log stores: a sealed record, as JSON.
    const rec = encodeRecord(seal(ENTRY, { id: 1, at: new Date(), prev: GENESIS }));
    let run = 0;
    const raw = async (records: number) => {
      const key = `${prefix}raw${run++}`;
      return throughput(records, APPENDERS, () => redis.xadd(key, '*', 'rec', rec));
    };
    const audit = async (records: number) => {
      const log = new RedisAuditLog(redis, `${prefix}audit${run++}:`, clock);
      return throughput(records, APPENDERS, () => log.append(ENTRY));
    };
    try {
      // One discarded run each: the JIT and Redis's allocator warm up before anything counts.
      await raw(RECORDS_PER_RUN);
      await audit(RECORDS_PER_RUN);
      await cleanup(redis, prefix);
      const {
        a: auditFigures,
        b: rawFigures,
        ratios,
      } = await alternate(
        RUNS,
        () => audit(RECORDS_PER_RUN),
        () => raw(RECORDS_PER_RUN),
        () => cleanup(redis, prefix),
      );
      const ratio = median(ratios);
      const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
      return [
        {
          name: `audit append, ${APPENDERS} concurrent`,
          figure: median(auditFigures),
          unit: 'records/s',
          baseline: `raw XADD, ${APPENDERS} concurrent`,
          baselineFigure: median(rawFigures),
          ratio,
          target: `ratio ≥ ${TARGET}`,
          met: ratio >= TARGET,
          spread: spread(ratios),
          notes: `${RUNS} runs × ${RECORDS_PER_RUN} records each way, alternating; one connection; ${rec.length}-byte records; Redis ${version}`,
        },
      ];
    } finally {
      await cleanup(redis, prefix);
      redis.disconnect();
    }
  },
};
