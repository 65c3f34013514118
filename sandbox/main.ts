/**
 * `npm run sandbox`: starts everything, prints where to look, and on Ctrl-C (SIGINT) or SIGTERM
 * stops everything and exits 0. A second Ctrl-C does not wait.
 */
import { SandboxError } from './errors.js';
import { Sandbox, type SandboxInfo, StoppedWhileStarting } from './sandbox.js';

const DEFAULT_PORT = 3000;

// The AWS SDK warns about Node 20 on every start, in several lines: the sandbox's own clients talk to the
// emulator only, and the bot (a process of its own) says it in one line of its log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function port(env: NodeJS.ProcessEnv): number {
  const text = env.SANDBOX_PORT;
  if (text === undefined || text === '') return DEFAULT_PORT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new SandboxError('SANDBOX_PORT must be a port number (0–65535).');
  return n;
}

async function main(): Promise<void> {
  const sandbox = new Sandbox({
    port: port(process.env),
    env: process.env,
    onBotExit: (how, log) => process.stderr.write(`\nThe bot stopped by itself (${how}). Its log: ${log}\n`),
  });
  let stopping = false;
  const shutdown = (why: string) => {
    // A second Ctrl-C: stop at once.
    if (stopping) {
      sandbox.kill();
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`\n${why}: stopping…\n`);
    sandbox.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${(error as Error).message}\n`);
        sandbox.kill();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // npm runs this under a shell that does not pass SIGTERM on (`kill <npm's pid>` ends npm and the
  // shell only): a sandbox whose parent went away stops as if told to, rather than linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent gone');
  }, 1000).unref();
  // Whatever happens, no bot or Redis of ours outlives this process.
  process.on('exit', () => sandbox.kill());

  process.stdout.write('Starting the sandbox: the AWS emulator, Redis, the bot and the console…\n');
  let s: SandboxInfo;
  try {
    s = await sandbox.start();
  } catch (error) {
    if (error instanceof StoppedWhileStarting) return; // shutdown() exits when all is stopped
    throw error;
  }
  process.stdout.write(
    [
      `  emulator  ${s.emulatorUrl}  (${s.seeded.functions} functions, ${s.seeded.versions} versions, ${s.seeded.alarms} alarms, traffic on)`,
      `  archive   ${s.seeded.archive}  (Object Lock, in the emulator's prod account)`,
      `  redis     ${s.redis}`,
      `  bot log   ${s.logFile}`,
      '',
      `Ready in ${(s.startupMs / 1000).toFixed(1)} s. Open ${s.consoleUrl.replace(/\/$/, '')} and type /lambda help (Ctrl-C stops everything).`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof SandboxError) process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(
      `The sandbox could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
