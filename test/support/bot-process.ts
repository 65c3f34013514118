/**
 * Starts the bot as users do (`node dist/src/main.js`, the `npm start` path) on a free port,
 * with a given environment, and waits until /healthz answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanup, connect, REDIS_URL, testPrefix } from './redis.js';

/** The repository: found upwards, so that this file works from test/ (vitest) and from dist/ (benchmarks). */
export const ROOT = repositoryRoot(import.meta.dirname);
const ENTRY = join(ROOT, 'dist/src/main.js');

export const SIGNING_SECRET = 'test-signing-secret-4f6a2c';
export const BOT_TOKEN = 'xoxb-test-bot-token-9d1e7b';

export interface BotProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Log lines so far (pino JSON on stdout). */
  readonly logs: string[];
  readonly stderr: string[];
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Writes a policy file to a fresh temporary folder and returns its path. */
export function writePolicy(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lambda-bot-')), 'lambda-bot.yml');
  writeFileSync(file, yaml);
  return file;
}

/** The environment every test bot needs, before the test's own overrides. */
export function baseEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    PORT: '0',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LOG_LEVEL: 'info',
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function spawnBot(env: NodeJS.ProcessEnv, entry = ENTRY) {
  const child = spawn(process.execPath, [entry], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  lines(child.stdout, (l) => logs.push(l));
  lines(child.stderr, (l) => stderr.push(l));
  return { child, logs, stderr, exited };
}

/** Starts the bot and waits for it to listen and answer /healthz. */
export async function startBot(env: Record<string, string | undefined>, timeoutMs = 15_000): Promise<BotProcess> {
  // A bot without a prefix of the test's gets one of its own, removed when it stops: its jobs
  // (leases, alarm states) must never touch keys of anyone else sharing this Redis.
  const ownPrefix = env.REDIS_KEY_PREFIX === undefined ? testPrefix('bot') : undefined;
  const bot = await startListener(ENTRY, { ...(ownPrefix ? { REDIS_KEY_PREFIX: ownPrefix } : {}), ...env }, timeoutMs);
  const health = await fetch(`${bot.url}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  if (!ownPrefix) return bot;
  return {
    ...bot,
    async stop() {
      await bot.stop();
      const redis = await connect(env.REDIS_URL ?? REDIS_URL).catch(() => undefined);
      if (!redis) return;
      await cleanup(redis, ownPrefix).catch(() => {});
      redis.disconnect();
    },
  };
}

/**
 * Starts any Node entry point that, like the bot, logs a JSON line `{"msg":"listening","port":N}`
 * on stdout once it listens (a benchmark's baseline app, say), with the bot's environment.
 */
export async function startListener(
  entry: string,
  env: Record<string, string | undefined>,
  timeoutMs = 15_000,
): Promise<BotProcess> {
  const { child, logs, stderr, exited } = spawnBot(baseEnv(env), entry);
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`bot did not start: ${stderr.join('\n')}`)), timeoutMs);
    const poll = setInterval(() => {
      const line = logs.find((l) => l.includes('"msg":"listening"'));
      if (line) {
        clearInterval(poll);
        clearTimeout(timer);
        done((JSON.parse(line) as { port: number }).port);
      }
    }, 10);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`bot exited with ${code}: ${stderr.join('\n')}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    child,
    logs,
    stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the bot expecting it to refuse to start; resolves with its exit code and stderr. */
export async function runBotToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stderr: string[] }> {
  const { stderr, exited, child } = spawnBot(baseEnv(env));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, stderr };
}

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

function lines(stream: NodeJS.ReadableStream | null, push: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.length > 0) push(p);
  });
  stream?.on('end', () => {
    if (rest.length > 0) push(rest);
  });
}
