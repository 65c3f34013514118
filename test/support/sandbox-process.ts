/**
 * `npm run sandbox` as users run it (`node dist/sandbox/main.js`), on a free console port, with
 * what it prints read back: the console's and the emulator's URLs and its startup time.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../sandbox/ports.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface SandboxProcess {
  readonly child: ChildProcess;
  readonly consoleUrl: string;
  readonly emulatorUrl: string;
  readonly startupMs: number;
  readonly output: string[];
  /** Every process the sandbox started (the bot, a private Redis), for checking none outlives it. */
  descendants(): number[];
  /** SIGINT, as Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

export async function startSandboxProcess(timeoutMs = 30_000): Promise<SandboxProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_PORT: String(port) };
  // The test run's own switch (vitest.config.ts): the sandbox and its bot must turn the SDK's notice off themselves.
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const child = spawn(process.execPath, [join(ROOT, 'dist/sandbox/main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const text = () => output.join('');
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the sandbox did not start in ${timeoutMs} ms:\n${text()}`)),
      timeoutMs,
    );
    const poll = setInterval(() => {
      if (!/Ready in/.test(text())) return;
      clearInterval(poll);
      clearTimeout(timer);
      ready();
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`the sandbox exited with ${code}:\n${text()}`));
    });
  });
  const out = text();
  const emulatorUrl = /emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
  const startupMs = Number(/Ready in ([\d.]+) s/.exec(out)?.[1] ?? Number.NaN) * 1000;
  return {
    child,
    consoleUrl: `http://127.0.0.1:${port}`,
    emulatorUrl,
    startupMs,
    output,
    descendants: () => descendantsOf(child.pid ?? 0),
    async interrupt() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Process IDs under `pid`, read from ps (children started detached are still children). */
function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [p, pp] of table) {
      if (pp === parent) {
        found.push(p);
        walk(p);
      }
    }
  };
  walk(pid);
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
