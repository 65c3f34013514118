/**
 * How much memory a server process holds, read from outside: its resident set from
 * /proc/<pid>/status (Linux), and its heap after a full collection from bench/memory-hook.ts,
 * preloaded into the process with NODE_OPTIONS.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BotProcess } from '../test/support/bot-process.js';
import { benchEntry } from './processes.js';

const MB = 1024 * 1024;
const REPORT_TIMEOUT_MS = 10_000;

/** NODE_OPTIONS that preload the hook; the file URL keeps the path one token. */
export function memoryHookOptions(): string {
  return `--expose-gc --import ${pathToFileURL(benchEntry('memory-hook')).href}`;
}

/** Resident set size of a process in MB (VmRSS). */
export function rssMbOf(pid: number | undefined): number {
  if (pid === undefined) throw new Error('no process to read memory of');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

export interface MemorySample {
  /** Resident set as the operator sees it, before anything is collected, MB. */
  readonly rssMb: number;
  /** V8 heap in use after a full collection, MB: what is still reachable. */
  readonly heapMb: number;
  /** Resident set after that collection, MB. */
  readonly rssAfterGcMb: number;
  /** Size V8 reserves for the young generation (new space), MB. */
  readonly newSpaceMb: number;
  /** Size of V8's code space (compiled code), MB. */
  readonly codeSpaceMb: number;
}

/** Reads the resident set, then asks the hook for a full collection and the heap after it. */
export async function sample(server: BotProcess): Promise<MemorySample> {
  const rssMb = rssMbOf(server.child.pid);
  const seen = reports(server).length;
  server.child.kill('SIGUSR2');
  const deadline = performance.now() + REPORT_TIMEOUT_MS;
  for (;;) {
    const report = reports(server)[seen];
    if (report) {
      if (!report.gc) throw new Error('the memory hook has no gc(): was --expose-gc passed?');
      return {
        rssMb,
        heapMb: report.heapUsed / MB,
        rssAfterGcMb: report.rss / MB,
        newSpaceMb: (report.spaces.new_space ?? 0) / MB,
        codeSpaceMb: (report.spaces.code_space ?? 0) / MB,
      };
    }
    if (performance.now() > deadline) throw new Error(`no memory report from pid ${server.child.pid}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Report {
  readonly gc: boolean;
  readonly rss: number;
  readonly heapUsed: number;
  readonly spaces: Record<string, number>;
}

function reports(server: BotProcess): Report[] {
  return server.logs.filter((l) => l.startsWith('{"msg":"bench-memory"')).map((l) => JSON.parse(l) as Report);
}
