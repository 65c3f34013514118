/**
 * The whole product on one machine: the console (Slack), the emulator seeded with the demo (AWS),
 * Redis, and the bot as a child process between them. Started in the order each needs the other,
 * stopped in reverse: the bot first (it may still talk to Slack, Redis and AWS while it drains),
 * then Redis, the emulator and the console. Stopping works at any moment, starting included.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../emulator/index.js';
import { type BotChild, startBotChild } from './bot.js';
import type { AwsPanel } from './console/aws-panel.js';
import type { IamUsers } from './console/iam-users.js';
import { type RunningConsole, startConsole } from './console/server.js';
import { CREDENTIALS, grantRoles, REGION } from './demo/account.js';
import { panelArchive } from './demo/archive.js';
import { panelUsers, registerConsoleUsers } from './demo/console-users.js';
import { panelPlaces } from './demo/functions.js';
import { PEOPLE } from './demo/people.js';
import { demoPolicy } from './demo/policy.js';
import type { SeedReport } from './demo/seed.js';
import { demoWorkspace, SUGGESTIONS } from './demo/workspace.js';
import { SandboxError } from './errors.js';
import { ROOT, STATIC_DIR } from './paths.js';
import { provideRedis, type SandboxRedis } from './redis.js';

export interface SandboxOptions {
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  /** Told when the bot stops by itself (it crashed, or was killed). */
  readonly onBotExit?: (how: string, logFile: string) => void;
}

export interface SandboxInfo {
  readonly consoleUrl: string;
  readonly emulatorUrl: string;
  readonly redis: string;
  readonly seeded: SeedReport;
  readonly logFile: string;
  /** Milliseconds from start() to the bot answering /healthz with the demo seeded. */
  readonly startupMs: number;
}

/** Thrown by start() when stop() was called before it finished. */
export class StoppedWhileStarting extends SandboxError {}

export class Sandbox {
  private readonly dir = mkdtempSync(join(tmpdir(), 'lambda-sandbox-'));
  readonly logFile = join(this.dir, 'bot.log');
  // Made up for this run and given only to the bot and the console: never printed.
  private readonly signingSecret = randomBytes(32).toString('hex');
  private readonly botToken = `xoxb-sandbox-${randomBytes(16).toString('hex')}`;
  private console?: RunningConsole;
  private emulator?: RunningEmulator;
  private redis?: SandboxRedis;
  private bot?: BotChild;
  private aws?: AwsPanel;
  private users?: IamUsers;
  private booting?: Promise<void>;
  private stopping?: Promise<void>;
  /** A bot that stopped by itself leaves its log behind, for whoever wants to know why. */
  private keepLog = false;

  constructor(private readonly options: SandboxOptions) {}

  async start(): Promise<SandboxInfo> {
    const started = performance.now();
    try {
      // The console, Redis and the emulator start in a moment, and stop() waits for them to be up
      // (stopping them half-started would leave a private redis-server behind).
      const boot = (async () => {
        this.console = await startConsole({
          workspace: demoWorkspace(),
          signingSecret: this.signingSecret,
          staticDir: STATIC_DIR,
          people: PEOPLE,
          suggestions: SUGGESTIONS,
          port: this.options.port,
        });
        return Promise.all([
          provideRedis(this.options.env).then((r) => (this.redis = r)),
          startEmulator({ clock: 'real', updateDelayMs: 0 }).then((e) => (this.emulator = e)),
        ]);
      })();
      this.booting = boot.then(
        () => {},
        () => {},
      );
      const [redis, emulator] = await boot;
      this.checkNotStopping();
      // The roles first (a few milliseconds): the bot's first alarm poll assumes them. The IAM users'
      // keys too, so that whatever they sign is theirs.
      await grantRoles(emulator.url);
      await registerConsoleUsers(emulator.url);
      this.checkNotStopping();
      // The demo is seeded before the bot starts: its first watch of outside changes takes AWS as it
      // finds it as the known state, and a half-seeded demo would be alerted on as changed outside
      // the bot a watch later. Seeding takes a few hundred milliseconds.
      const seeded = await import('./demo/seed.js').then((m) => m.seedDemo(emulator.url));
      this.checkNotStopping();
      const bot = this.startBot(redis, emulator);
      // Loaded while the bot starts (about a second); the seed has loaded the AWS SDK they use.
      const [{ AwsPanel }, { IamUsers }] = await Promise.all([
        import('./console/aws-panel.js'),
        import('./console/iam-users.js'),
      ]);
      const botUrl = await bot.ready;
      this.checkNotStopping();
      this.aws = new AwsPanel(emulator.url, panelPlaces(), panelArchive());
      this.users = new IamUsers(emulator.url, panelUsers());
      const site = this.console as RunningConsole;
      site.setAws(this.aws, this.users);
      site.bot.ready(botUrl);
      return {
        consoleUrl: site.url,
        emulatorUrl: emulator.url,
        redis: redis.description,
        seeded,
        logFile: this.logFile,
        startupMs: performance.now() - started,
      };
    } catch (error) {
      if (this.stopping) throw new StoppedWhileStarting('Stopped while starting.');
      this.keepLog = this.bot !== undefined;
      await this.stop().catch(() => {});
      throw error;
    }
  }

  /** Stops whatever is running, in order; safe to call more than once, and while starting. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.booting;
      await this.bot?.stop();
      await this.redis?.stop();
      this.aws?.destroy();
      this.users?.destroy();
      await this.emulator?.close();
      await this.console?.close();
      if (!this.keepLog) rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  /** Ends the child processes at once, for an exit that cannot wait. */
  kill(): void {
    for (const child of [this.bot?.child, this.redis?.child]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  private startBot(redis: SandboxRedis, emulator: RunningEmulator): BotChild {
    const link = (this.console as RunningConsole).bot;
    const policyFile = join(this.dir, 'lambda-bot.yml');
    writeFileSync(policyFile, demoPolicy());
    const bot = startBotChild({
      root: ROOT,
      logFile: this.logFile,
      policyFile,
      slackApiUrl: (this.console as RunningConsole).slack.apiUrl,
      botToken: this.botToken,
      signingSecret: this.signingSecret,
      awsEndpoint: emulator.url,
      aws: { region: REGION, ...CREDENTIALS },
      redisUrl: redis.url,
      redisKeyPrefix: redis.keyPrefix,
    });
    this.bot = bot;
    void bot.exited.then((how) => {
      if (this.stopping) return;
      this.keepLog = true;
      link.stopped(`The bot stopped (${how}). Its log: ${this.logFile}. Stop the sandbox (Ctrl-C) and start it again.`);
      this.options.onBotExit?.(how, this.logFile);
    });
    return bot;
  }

  private checkNotStopping(): void {
    if (this.stopping) throw new StoppedWhileStarting('Stopped while starting.');
  }
}
