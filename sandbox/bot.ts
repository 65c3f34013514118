/**
 * The bot as users run it (`node dist/src/main.js`, the `npm start` path), as a child process on a
 * free port, configured only through its environment, its log (JSON lines) written to a file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { SandboxError } from './errors.js';

export interface BotSettings {
  /** The repository root: the bot runs from dist/src/main.js there. */
  readonly root: string;
  readonly logFile: string;
  readonly policyFile: string;
  readonly slackApiUrl: string;
  readonly botToken: string;
  readonly signingSecret: string;
  readonly awsEndpoint: string;
  readonly aws: { readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
}

export interface BotChild {
  readonly child: ChildProcess;
  /** Resolves with the bot's URL once /healthz answers; rejects if it exits first. */
  readonly ready: Promise<string>;
  /** Resolves with the exit code (or signal) when the process ends, for whatever reason. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

/** The bot answers within a second or two; far longer means something is wrong with it. */
const HEALTHY_WITHIN_MS = 30_000;
/** The bot stops its jobs and drains within 10 s; past that it is killed. */
const STOP_GRACE_MS = 12_000;

export function startBotChild(s: BotSettings): BotChild {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: s.botToken,
    SLACK_SIGNING_SECRET: s.signingSecret,
    SLACK_API_URL: s.slackApiUrl,
    PORT: '0',
    REDIS_URL: s.redisUrl,
    REDIS_KEY_PREFIX: s.redisKeyPrefix,
    AWS_REGION: s.aws.region,
    AWS_ACCESS_KEY_ID: s.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.aws.secretAccessKey,
    AWS_ENDPOINT_URL: s.awsEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    LAMBDA_BOT_CONFIG: s.policyFile,
    LOG_LEVEL: 'info',
  };
  // Its own process group: Ctrl-C reaches the sandbox, which stops the bot first and Redis after it.
  const child = spawn(process.execPath, [join(s.root, 'dist/src/main.js')], {
    cwd: s.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(s.logFile, { flags: 'a' });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      log.end();
      resolve(signal ?? `exit code ${code}`);
    }),
  );
  const port = new Promise<number>((resolve, reject) => {
    let rest = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      log.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.includes('"msg":"listening"')) resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    void exited.then((how) =>
      reject(new SandboxError(`The bot stopped (${how}) before it listened; its log: ${s.logFile}`)),
    );
  });
  const ready = within(
    port.then(async (p) => {
      const url = `http://127.0.0.1:${p}`;
      await healthy(url, exited);
      return url;
    }),
    HEALTHY_WITHIN_MS,
    `The bot did not answer within ${HEALTHY_WITHIN_MS / 1000} s; its log: ${s.logFile}`,
  );
  ready.catch(() => {});
  return {
    child,
    ready,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function healthy(url: string, exited: Promise<string>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new SandboxError('The bot stopped before /healthz answered.');
    const status = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SandboxError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
