import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/emulator/main.js', import.meta.url));

/** Waits for the first stdout line of a child process. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

// The CLI runs the compiled output (`npm run emulator`); `npm test` builds first, a bare vitest run may not have.
describe.skipIf(!existsSync(MAIN))('npm run emulator (the compiled CLI)', () => {
  it('starts in well under a second, logs one line, answers, and stops on SIGTERM', async () => {
    const started = performance.now();
    const child = spawn(process.execPath, [MAIN, '--port', '0', '--update-delay', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await firstLine(child);
    const elapsed = performance.now() - started;
    expect(line).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(elapsed).toBeLessThan(1000);
    const url = line.replace('emulator listening on ', '');
    const res = await fetch(`${url}/_emulator/clock`);
    expect(((await res.json()) as { mode: string }).mode).toBe('real');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port with one line and a non-zero exit', async () => {
    const child = spawn(process.execPath, [MAIN, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('--port must be 0–65535, got abc');
  });
});
