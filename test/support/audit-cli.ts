import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AuditRecord } from '../../src/domain/audit.js';
import { childEnv, ONE_NODE, type RedisEnv } from './redis-env.js';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../dist/src/cli/audit.js');

/**
 * `npm run audit -- export …` for a prefix, parsed. `redis` says where, as the bot's variables do
 * (a world's `redisEnv`); by default the shared node.
 */
export async function auditExport(prefix: string, args: string[] = [], redis = ONE_NODE): Promise<AuditRecord[]> {
  const { stdout } = await run(process.execPath, [CLI, 'export', ...args], {
    env: childEnv(redis, { REDIS_KEY_PREFIX: prefix }),
    // The fault suite exports thousands of records: more than execFile's default 1 MiB of output.
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** `npm run audit -- verify` for a prefix: its exit code and output. */
export async function auditVerify(prefix: string, redis: RedisEnv = ONE_NODE): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, 'verify'], {
      env: childEnv(redis, { REDIS_KEY_PREFIX: prefix }),
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}
