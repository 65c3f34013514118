/**
 * The whole product on one machine: the console (Slack), the emulator seeded with the demo (AWS),
 * Redis, and the bot as a child process between them. Started in the order each needs the other,
 * stopped in reverse: the bot first (it may still talk to Slack, Redis and AWS while it drains),
 * then Redis, the emulator and the console.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../emulator/index.js';
import { type BotChild, startBotChild } from './bot.js';
import type { AwsPanel } from './console/aws-panel.js';
import { type RunningConsole, startConsole } from './console/server.js';
import { CREDENTIALS, REGION } from './demo/account.js';
import { PEOPLE } from './demo/people.js';
import { demoPolicy } from './demo/policy.js';
import type { SeedReport } from './demo/seed.js';
import { demoWorkspace, SUGGESTIONS } from './demo/workspace.js';
import { ROOT, STATIC_DIR } from './paths.js';
import { provideRedis, type SandboxRedis } from './redis.js';

export interface SandboxOptions {
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  /** Told when the bot stops by itself (it crashed, or was killed). */
  readonly onBotExit?: (how: string) => void;
}

export interface RunningSandbox {
  readonly consoleUrl: string;
  readonly emulatorUrl: string;
  readonly redis: string;
  readonly seeded: SeedReport;
  readonly logFile: string;
  /** Milliseconds from the call to the bot answering /healthz. */
  readonly startupMs: number;
  stop(): Promise<void>;
  /** Ends the child processes at once, for an exit that cannot wait. */
  kill(): void;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'lambda-sandbox-'));
  const logFile = join(dir, 'bot.log');
  // Made up for this run and given only to the bot and the console: never printed.
  const signingSecret = randomBytes(32).toString('hex');
  const botToken = `xoxb-sandbox-${randomBytes(16).toString('hex')}`;
  const parts: { console?: RunningConsole; emulator?: RunningEmulator; redis?: SandboxRedis; bot?: BotChild } = {};
  let aws: AwsPanel | undefined;
  let stopping = false;
  let keepDir = false;

  const stop = async () => {
    stopping = true;
    await parts.bot?.stop();
    await parts.redis?.stop();
    aws?.destroy();
    await parts.emulator?.close();
    await parts.console?.close();
    // A bot that stopped by itself leaves its log behind, for whoever wants to know why.
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  };
  const kill = () => {
    for (const child of [parts.bot?.child, parts.redis?.child]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };

  try {
    parts.console = await startConsole({
      workspace: demoWorkspace(),
      signingSecret,
      staticDir: STATIC_DIR,
      people: PEOPLE,
      suggestions: SUGGESTIONS,
      port: options.port,
    });
    const [redis, emulator] = await Promise.all([
      provideRedis(options.env).then((r) => (parts.redis = r)),
      startEmulator({ clock: 'real', updateDelayMs: 0 }).then((e) => (parts.emulator = e)),
    ]);
    // The bot takes about a second to start: the demo is seeded meanwhile, and both must be done
    // before the sandbox says it is ready (the bot only reads AWS when asked, or at its next poll).
    // The AWS SDK takes a quarter of a second to load: loaded here, it loads while the bot starts.
    const seeding = import('./demo/seed.js').then((m) => m.seedDemo(emulator.url));
    seeding.catch(() => {});
    const policyFile = join(dir, 'lambda-bot.yml');
    writeFileSync(policyFile, demoPolicy());
    const link = parts.console.bot;
    const bot = startBotChild({
      root: ROOT,
      logFile,
      policyFile,
      slackApiUrl: parts.console.slack.apiUrl,
      botToken,
      signingSecret,
      awsEndpoint: emulator.url,
      aws: { region: REGION, ...CREDENTIALS },
      redisUrl: redis.url,
      redisKeyPrefix: redis.keyPrefix,
    });
    parts.bot = bot;
    void bot.exited.then((how) => {
      if (stopping) return;
      keepDir = true;
      link.stopped(`The bot stopped (${how}). Its log: ${logFile}. Stop the sandbox (Ctrl-C) and start it again.`);
      options.onBotExit?.(how);
    });
    const [seeded, botUrl] = await Promise.all([seeding, bot.ready]);
    const { AwsPanel } = await import('./console/aws-panel.js');
    aws = new AwsPanel(emulator.url, REGION, CREDENTIALS);
    parts.console.setAws(aws);
    link.ready(botUrl);
    return {
      consoleUrl: parts.console.url,
      emulatorUrl: emulator.url,
      redis: redis.description,
      seeded,
      logFile,
      startupMs: performance.now() - started,
      stop,
      kill,
    };
  } catch (error) {
    keepDir = parts.bot !== undefined;
    await stop().catch(() => {});
    throw error;
  }
}
