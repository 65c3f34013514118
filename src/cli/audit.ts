/**
 * `npm run audit -- verify | export [--archive]` (CONTRACT §1, §7, §14): checks the audit chain, or
 * prints its records as JSON lines; with `--archive`, the S3 archive too. Reads the REDIS_ settings,
 * and with `--archive` also the policy file (LAMBDA_BOT_CONFIG) and the AWS settings the bot reads;
 * never prints their values (a Redis URL may hold a password). Exit codes: 0 done, 1 chain broken
 * or Redis or the archive unavailable, 2 bad arguments or settings.
 */

import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceSdkNodeNotice } from '../adapters/aws/node-notice.js';
import { systemClock } from '../adapters/clock.js';
import { RedisAuditArchiving } from '../adapters/redis/audit-archiving.js';
import { RedisAuditLog } from '../adapters/redis/audit-log.js';
import { connectRedis } from '../adapters/redis/client.js';
import { hasEarlierLayout } from '../adapters/redis/layout.js';
import { describeTopology } from '../config/redis.js';
import { type ArchiveConfig, loadArchiveConfig, loadRedisConfig } from '../config.js';
import type { AuditRecord } from '../domain/audit.js';
import { encodeRecord } from '../domain/audit-codec.js';
import { asBotError } from '../domain/errors.js';
import { type ArchiveVerdict, exportArchive, type RedisSideReader, verifyArchive } from './audit-archive.js';
import { AUDIT_USAGE, type AuditCommand, parseAuditArgs } from './audit-args.js';
import { type OpenedArchive, openArchive } from './audit-aws.js';

interface Io {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

/** Runs one audit command and returns the exit code. */
export async function runAudit(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const command = parseAuditArgs(argv);
  if ('problem' in command) {
    io.err.write(`audit: ${command.problem}\n${AUDIT_USAGE}\n`);
    return 2;
  }
  const settings = loadRedisConfig(env);
  if (!settings.ok) {
    for (const problem of settings.problems) io.err.write(`audit: ${problem}\n`);
    return 2;
  }
  let archiveConfig: ArchiveConfig | undefined;
  if (command.archive) {
    const loaded = loadArchiveConfig(env);
    if (!loaded.ok) {
      for (const problem of loaded.problems) io.err.write(`audit: ${problem}\n`);
      return 2;
    }
    archiveConfig = loaded.config;
  }
  // One attempt, no reconnection: a tool run by hand should say at once that Redis is away.
  const redis = connectRedis(settings.redis, { lazyConnect: true, retryStrategy: () => null });
  const where = describeTopology(settings.redis.topology);
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    io.err.write(`audit: Redis does not answer (${reason(lastError ?? error)}): ${where}; check the REDIS_ settings\n`);
    redis.disconnect();
    return 1;
  }
  let archive: OpenedArchive | undefined;
  try {
    if (await hasEarlierLayout(redis, settings.redis.keyPrefix)) {
      io.err.write(
        'audit: this Redis holds the audit log in the key layout of an earlier version of the bot; start this version of the bot once and it moves the keys, then run this again\n',
      );
      return 1;
    }
    const log = new RedisAuditLog(redis, settings.redis.keyPrefix, systemClock);
    if (!archiveConfig) return await run(command, log, io);
    const opened = await openArchive(archiveConfig, command.ownCredentials === true);
    if ('problem' in opened) {
      io.err.write(`audit: ${opened.problem}\n`);
      return 2;
    }
    archive = opened.archive;
    const side = { log, archiving: new RedisAuditArchiving(redis, settings.redis.keyPrefix) };
    return await runWithArchive(command, archive, side, io);
  } catch (error) {
    const failure = asBotError(error);
    const message = failure.code === 'redis-unavailable' ? `Redis stopped answering (${where})` : failure.message;
    io.err.write(`audit: ${message}\n`);
    return 1;
  } finally {
    archive?.close();
    redis.disconnect();
  }
}

async function run(command: AuditCommand, log: RedisAuditLog, { out }: Io): Promise<number> {
  if (command.verb === 'verify') {
    const result = await log.verify();
    const from =
      result.from === undefined
        ? ''
        : ` from record ${result.from} (earlier records are in the archive, trimmed from Redis)`;
    if (result.ok) {
      out.write(`audit chain OK: ${result.count} records${from}\n`);
      return 0;
    }
    out.write(`audit chain BROKEN at record ${result.problem.id}: ${result.problem.reason}\n`);
    return 1;
  }
  return await print(log.export(filterOf(command)), out);
}

async function runWithArchive(
  command: AuditCommand,
  archive: OpenedArchive,
  redis: RedisSideReader,
  { out }: Io,
): Promise<number> {
  if (command.verb === 'export') return await print(exportArchive(archive, redis, filterOf(command)), out);
  const verdict = await verifyArchive(archive, redis);
  out.write(`${verdictLine(verdict, archive.url)}\n`);
  return verdict.ok ? 0 : 1;
}

/**
 * @example verdictLine({ ok: true, segments: 3, archived: 300, redis: { from: 201, head: 340 } }, 's3://b/')
 *   === 'archive OK: 3 segments, records 1–300; Redis from 201 to 340; seam OK'
 */
export function verdictLine(verdict: ArchiveVerdict, url: string): string {
  if (verdict.ok) {
    const { segments, archived, redis } = verdict;
    const inArchive = segments === 0 ? 'no segments yet' : `${segments} segments, records 1–${archived}`;
    const inRedis =
      redis.from > redis.head
        ? `Redis keeps no records (its last was ${redis.head})`
        : `Redis from ${redis.from} to ${redis.head}`;
    return `archive OK: ${inArchive}; ${inRedis}; seam OK`;
  }
  const { object, record, reason } = verdict.problem;
  const at = object === 'redis' ? 'Redis' : `object ${url}${object}`;
  return `archive BROKEN at ${at}${record === undefined ? '' : `, record ${record}`}: ${reason}`;
}

function filterOf(command: AuditCommand & { verb: 'export' }) {
  return { ...(command.fn ? { fn: command.fn } : {}), ...(command.since ? { since: command.since } : {}) };
}

async function print(records: AsyncIterable<AuditRecord>, out: NodeJS.WritableStream): Promise<number> {
  for await (const record of records) {
    // Respect the pipe's pace: a long log piped into a slow reader is not buffered in memory.
    if (!out.write(`${encodeRecord(record)}\n`)) await once(out, 'drain');
  }
  return 0;
}

/**
 * Why a connection failed, without the address: a system error code (ECONNREFUSED, ENOTFOUND)
 * or Redis's own reply (NOAUTH, WRONGPASS), never the URL, which may hold a password.
 */
function reason(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (e.name === 'ReplyError' && typeof e.message === 'string') return e.message.split(/\s/)[0] ?? 'refused';
  return 'no connection';
}

const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  // The SDK's multi-line notice about an old Node.js line would bury the one line an auditor reads;
  // the bot's log says it instead.
  replaceSdkNodeNotice();
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // Exit once stdout is flushed rather than when the event loop empties: after a refused
  // connection ioredis leaves the socket's connect timer running for connectTimeout (2 s).
  const exit = (code: number) => process.stdout.write('', () => process.exit(code));
  runAudit(process.argv.slice(2), process.env, { out: process.stdout, err: process.stderr }).then(exit, (error) => {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
  });
}
