/**
 * `npm run audit -- verify | export` (CONTRACT §1, §7): checks the audit chain, or prints its
 * records as JSON lines. Reads only REDIS_URL and REDIS_KEY_PREFIX; never prints their values
 * (a Redis URL may hold a password). Exit codes: 0 done, 1 chain broken or Redis unavailable,
 * 2 bad arguments or settings.
 */

import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../adapters/clock.js';
import { RedisAuditLog } from '../adapters/redis/audit-log.js';
import { connectRedis } from '../adapters/redis/client.js';
import { hasEarlierLayout } from '../adapters/redis/layout.js';
import { describeTopology } from '../config/redis.js';
import { loadRedisConfig } from '../config.js';
import { encodeRecord } from '../domain/audit-codec.js';
import { asBotError } from '../domain/errors.js';
import { AUDIT_USAGE, type AuditCommand, parseAuditArgs } from './audit-args.js';

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
  try {
    if (await hasEarlierLayout(redis, settings.redis.keyPrefix)) {
      io.err.write(
        'audit: this Redis holds the audit log in the key layout of an earlier version of the bot; start this version of the bot once and it moves the keys, then run this again\n',
      );
      return 1;
    }
    const log = new RedisAuditLog(redis, settings.redis.keyPrefix, systemClock);
    return await run(command, log, io);
  } catch (error) {
    const failure = asBotError(error);
    const message = failure.code === 'redis-unavailable' ? `Redis stopped answering (${where})` : failure.message;
    io.err.write(`audit: ${message}\n`);
    return 1;
  } finally {
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
  const filter = { ...(command.fn ? { fn: command.fn } : {}), ...(command.since ? { since: command.since } : {}) };
  for await (const record of log.export(filter)) {
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
