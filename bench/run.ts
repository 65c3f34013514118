/**
 * `npm run bench` (CONTRACT §1): runs every benchmark of bench/index.ts, prints one table and
 * writes bench/results.json with the machine it ran on, so that figures are never read without
 * their context, and how long each benchmark took. `npm run bench -- NAME…` runs only those
 * benchmarks and writes no results file. `node dist/bench/summary.js` prints the results file as
 * the Markdown table of docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { benchmarks } from './index.js';
import { formatTable } from './table.js';
import type { BenchRow } from './types.js';

// Compiled to dist/bench/run.js; results belong next to the sources, in bench/.
const RESULTS = resolve(import.meta.dirname, '../../bench/results.json');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0)
    throw new Error(`no benchmark ${unknown.join(', ')}; there are ${benchmarks.map((b) => b.name).join(', ')}`);
  const chosen = only.length > 0 ? benchmarks.filter((b) => only.includes(b.name)) : benchmarks;
  const rows: BenchRow[] = [];
  // Other work on the machine moves every figure: each benchmark's load averages (1, 5, 15 min) go with it.
  const load: Record<string, { before: string; after: string; seconds: number }> = {};
  const now = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const started = performance.now();
  for (const benchmark of chosen) {
    const before = now();
    process.stderr.write(`bench: running ${benchmark.name} (load average ${before})…\n`);
    const t = performance.now();
    rows.push(...(await benchmark.run()));
    const seconds = Math.round((performance.now() - t) / 1000);
    load[benchmark.name] = { before, after: now(), seconds };
    process.stderr.write(`bench: ${benchmark.name} took ${seconds} s\n`);
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  process.stderr.write(`bench: load average ${now()}; ${seconds} s in all\n`);
  process.stdout.write(`${formatTable(rows)}\n`);
  if (chosen !== benchmarks) return;
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
  const results = { date: new Date().toISOString(), node: process.version, ...machine, seconds, load, rows };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write('bench: wrote bench/results.json\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
