/**
 * `node dist/bench/summary.js`: the last full run (bench/results.json) as the Markdown summary
 * table of docs/benchmarks.md, with its date, machine and duration, so the doc is copied, not retyped.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatMarkdown } from './table.js';
import type { BenchRow } from './types.js';

interface Results {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly seconds?: number;
  readonly rows: BenchRow[];
}

const file = resolve(import.meta.dirname, '../../bench/results.json');
// JSON has no NaN: a ratio that could not be taken is stored as null.
const results = JSON.parse(readFileSync(file, 'utf8'), (key, value) =>
  key === 'ratio' && value === null ? Number.NaN : value,
) as Results;
const took = results.seconds === undefined ? '' : `, ${Math.round(results.seconds / 60)} min`;
process.stdout.write(
  `${results.date}, Node ${results.node}, ${results.cores} × ${results.cpu}${took}\n\n${formatMarkdown(results.rows)}\n`,
);
