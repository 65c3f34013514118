import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AuditRecord } from '../../src/domain/audit.js';
import { REDIS_URL } from './redis.js';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../dist/src/cli/audit.js');

/**
 * The CLI's environment: the shared Redis, or the variables of another topology (`REDIS_SENTINELS`,
 * `REDIS_CLUSTER_NODES`…), which replace `REDIS_URL` since the CLI refuses two topologies at once.
 */
function cliEnv(prefix: string, redis?: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(redis ?? { REDIS_URL }), REDIS_KEY_PREFIX: prefix };
  if (redis && !('REDIS_URL' in redis)) delete env.REDIS_URL;
  return env;
}

/** `npm run audit -- export …` for a prefix, parsed; `redis` names another topology than the shared Redis. */
export async function auditExport(
  prefix: string,
  args: string[] = [],
  redis?: Readonly<Record<string, string>>,
): Promise<AuditRecord[]> {
  const { stdout } = await run(process.execPath, [CLI, 'export', ...args], {
    env: cliEnv(prefix, redis),
    // The fault suite exports thousands of records: more than execFile's default 1 MiB of output.
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** `npm run audit -- verify` for a prefix: its exit code and output. */
export async function auditVerify(
  prefix: string,
  redis?: Readonly<Record<string, string>>,
): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, 'verify'], { env: cliEnv(prefix, redis) });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}
