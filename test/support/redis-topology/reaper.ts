/**
 * Makes sure the redis-servers a test process starts die with it. vitest ends its workers with
 * SIGTERM (then SIGKILL), which runs no `exit` handler and no `afterAll`: a detached watcher that
 * holds the other end of a pipe notices the worker is gone (the pipe closes) and kills what is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Runs in the watcher: keeps the latest list it was sent, and acts on it when the pipe closes. */
const WATCHER = `
const { rmSync } = require('node:fs');
let state = { pids: [], dirs: [] };
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    state = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
  }
});
process.stdin.on('close', () => {
  for (const pid of state.pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
});
`;

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let watcher: ChildProcess | undefined;

/** Kills `child` if this process ends while it still runs. */
export function trackProcess(child: ChildProcess): void {
  children.add(child);
  // Once it has exited, its pid may be reused by someone else's process: never kill it then.
  child.once('exit', () => {
    children.delete(child);
    report();
  });
  report();
}

/** Removes `dir` if this process ends before `forgetDir(dir)`. */
export function trackDir(dir: string): void {
  dirs.add(dir);
  report();
}

/** The folder was removed on purpose: the watcher no longer needs to. */
export function forgetDir(dir: string): void {
  dirs.delete(dir);
  report();
}

function report(): void {
  const pids = [...children].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  if (!watcher) {
    if (pids.length === 0 && dirs.size === 0) return;
    watcher = startWatcher();
  }
  watcher.stdin?.write(`${JSON.stringify({ pids, dirs: [...dirs] })}\n`);
}

function startWatcher(): ChildProcess {
  // Detached: its own process group, so a Ctrl-C that stops the tests does not stop it first.
  const child = spawn(process.execPath, ['-e', WATCHER], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.unref();
  // The pipe must not keep the test process alive either.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on('error', () => {});
  return child;
}

// A plain `process.exit()` (a script, or vitest's own teardown) runs this: kill at once, synchronously.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
