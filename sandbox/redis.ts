/**
 * Redis for the sandbox: the one at REDIS_URL when it answers (the sandbox then writes only under a
 * key prefix of its own, removed at exit); otherwise a private redis-server on a free port, in a
 * temporary folder, stopped and removed at exit; otherwise a message saying how to get one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { SandboxError } from './errors.js';
import { freePort } from './ports.js';

export interface SandboxRedis {
  readonly url: string;
  readonly keyPrefix: string;
  /** One line for the terminal. */
  readonly description: string;
  /** The private server's process, to be stopped on an abrupt exit. */
  readonly child?: ChildProcess;
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

export async function provideRedis(env: NodeJS.ProcessEnv): Promise<SandboxRedis> {
  const url = env.REDIS_URL || DEFAULT_URL;
  const keyPrefix = `lambda-sandbox-${randomBytes(4).toString('hex')}:`;
  if (await answers(url)) {
    return {
      url,
      keyPrefix,
      description: `${redact(url)}, keys under ${keyPrefix} (removed at exit)`,
      stop: () => removeKeys(url, keyPrefix),
    };
  }
  const server = findOnPath('redis-server', env.PATH ?? '');
  if (!server) {
    throw new SandboxError(
      `No Redis: nothing answers at ${redact(url)} and redis-server is not installed.\n` +
        'Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), ' +
        'or set REDIS_URL to a Redis you have, then run npm run sandbox again.',
    );
  }
  return startPrivate(server, keyPrefix);
}

async function startPrivate(server: string, keyPrefix: string): Promise<SandboxRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lambda-sandbox-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  // Its own process group: Ctrl-C in the terminal must not stop Redis before the bot has drained.
  const child = spawn(server, args, { stdio: 'ignore', detached: true });
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (await answers(url))
      return {
        url,
        keyPrefix,
        child,
        description: `private redis-server on port ${port} (stopped and removed at exit)`,
        stop,
      };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new SandboxError(`redis-server (${server}) did not start on port ${port}.`);
}

/** True when a PING is answered within half a second (the fault tests' private servers use it too). */
export async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Removes the sandbox's keys, and nothing else, from a Redis it shares. */
async function removeKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis went away first: there is nothing left to remove from it.
  } finally {
    redis.disconnect();
  }
}

function findOnPath(command: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A Redis URL may carry a password: never print it. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'REDIS_URL';
  }
}
