/**
 * Audit append throughput on a Sentinel set with `REDIS_REPLICAS_ACK=1`: records/s through
 * RedisAuditLog (each batch: the append script and `WAIT 1` in one pipeline, counted only when a
 * replica confirmed it), against raw `XADD` + `WAIT 1` of records of the same size, each record
 * pipelined with its own WAIT and checked the same way. Both on one connection made by
 * `connectRedis` from the same Sentinel settings the bot would use, 50 concurrent callers in a
 * closed loop, measured alternately in the same run: audit-append's shape, with a replica to wait for.
 * On one connection WAIT blocks every command queued behind it, so the raw baseline is also run with
 * a connection per caller (reported, not judged): the most a client that does not batch can get.
 * The set (primary, replica, three sentinels) is started here on free ports and stopped after.
 */
import { randomBytes } from 'node:crypto';
import { systemClock } from '../src/adapters/clock.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { connectRedis, type RedisClient } from '../src/adapters/redis/client.js';
import { GENESIS, seal } from '../src/domain/audit.js';
import { encodeRecord } from '../src/domain/audit-codec.js';
import { cleanup } from '../test/support/redis.js';
import { startSentinelSet } from '../test/support/redis-topology.js';
import { ENTRY } from './audit-append.js';
import { sentinelSettings } from './redis-topologies.js';
import { alternate, median, spread, throughput } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const APPENDERS = 50;
const RECORDS_PER_RUN = 10_000;
const RUNS = 9;
const TARGET = 0.5;
/** REDIS_REPLICAS_ACK: the set has one replica. */
const REPLICAS = 1;
/** REDIS_ACK_TIMEOUT's default. */
const ACK_TIMEOUT_MS = 1000;

export const auditAppendSentinel: Benchmark = {
  name: 'audit-append-sentinel',
  async run(): Promise<BenchRow[]> {
    const set = await startSentinelSet();
    const settings = sentinelSettings(set, ACK_TIMEOUT_MS);
    const redis = connectRedis(settings, { lazyConnect: true });
    const pool = Array.from({ length: APPENDERS }, () => connectRedis(settings, { lazyConnect: true }));
    try {
      await Promise.all([redis, ...pool].map((r) => r.connect()));
      const prefix = `bench-${randomBytes(6).toString('hex')}:`;
      const rec = encodeRecord(seal(ENTRY, { id: 1, at: new Date(), prev: GENESIS }));
      let run = 0;
      let unconfirmed = 0;
      const rawOn = async (connection: RedisClient, key: string) => {
        const replies = await connection.pipeline().xadd(key, '*', 'rec', rec).wait(REPLICAS, ACK_TIMEOUT_MS).exec();
        const [[xaddError] = [], [waitError, acked] = []] = replies ?? [];
        if (xaddError || waitError) throw xaddError ?? waitError;
        // The same rule as the bot's: a record no replica confirmed does not count.
        if (Number(acked) < REPLICAS) unconfirmed++;
      };
      const raw = (records: number) => {
        const key = `${prefix}raw${run++}`;
        return throughput(records, APPENDERS, () => rawOn(redis, key));
      };
      // Each call takes a free connection and gives it back: with as many as callers, one each.
      const rawPerCaller = (records: number) => {
        const key = `${prefix}raw${run++}`;
        const free = [...pool];
        return throughput(records, APPENDERS, async () => {
          const connection = free.pop() as RedisClient;
          try {
            await rawOn(connection, key);
          } finally {
            free.push(connection);
          }
        });
      };
      const audit = (records: number) => {
        const log = new RedisAuditLog(redis, `${prefix}audit${run++}:`, systemClock, {
          replicas: REPLICAS,
          timeoutMs: ACK_TIMEOUT_MS,
        });
        // A record WAIT did not confirm rejects its append, and with it the run.
        return throughput(records, APPENDERS, () => log.append(ENTRY));
      };
      // One discarded run each: the JIT, Redis's allocator and the replication link warm up.
      await raw(RECORDS_PER_RUN);
      await rawPerCaller(RECORDS_PER_RUN);
      await audit(RECORDS_PER_RUN);
      await cleanup(redis, prefix);
      unconfirmed = 0;
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
      const perCaller = await alternate(
        RUNS,
        () => audit(RECORDS_PER_RUN),
        () => rawPerCaller(RECORDS_PER_RUN),
        () => cleanup(redis, prefix),
      );
      if (unconfirmed > 0) throw new Error(`${unconfirmed} raw records were not confirmed by a replica`);
      const ratio = median(ratios);
      const perCallerRatio = median(perCaller.ratios);
      const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
      return [
        {
          name: `audit append, Sentinel, REDIS_REPLICAS_ACK=${REPLICAS}, ${APPENDERS} concurrent`,
          figure: median(auditFigures),
          unit: 'records/s',
          baseline: `raw XADD + WAIT ${REPLICAS} a record, ${APPENDERS} concurrent`,
          baselineFigure: median(rawFigures),
          ratio,
          target: `ratio ≥ ${TARGET}`,
          met: ratio >= TARGET,
          spread: spread(ratios),
          notes: `${RUNS} runs × ${RECORDS_PER_RUN} records each way, alternating; one connection through the sentinels (connectRedis); every record confirmed by the replica; ${rec.length}-byte records; primary, replica, 3 sentinels on loopback; Redis ${version}`,
        },
        {
          name: `audit append, Sentinel, REDIS_REPLICAS_ACK=${REPLICAS}, against a connection per raw caller`,
          figure: median(perCaller.a),
          unit: 'records/s',
          baseline: `raw XADD + WAIT ${REPLICAS} a record, ${APPENDERS} callers on ${APPENDERS} connections`,
          baselineFigure: median(perCaller.b),
          ratio: perCallerRatio,
          spread: spread(perCaller.ratios),
          notes: `${RUNS} more runs each way, alternating; the audit log still on one connection; no target: the judged baseline has the same one connection`,
        },
      ];
    } finally {
      for (const r of [redis, ...pool]) r.disconnect();
      await set.stop();
    }
  },
};
