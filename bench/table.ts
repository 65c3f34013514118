import type { BenchRow } from './types.js';

const COLUMNS: readonly [string, (r: BenchRow) => string][] = [
  ['benchmark', (r) => r.name],
  ['figure', (r) => `${figure(r.figure)} ${r.unit}`],
  ['baseline', (r) => r.baseline],
  ['baseline figure', (r) => `${figure(r.baselineFigure)} ${r.unit}`],
  ['ratio', ratio],
  ['spread', (r) => r.spread ?? ''],
  ['target', (r) => r.target ?? ''],
  ['met', (r) => (r.met === undefined ? '' : r.met ? 'yes' : 'NO')],
];

/** The rows as one aligned plain-text table; notes follow below it, one line each. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = rows.filter((r) => r.notes).map((r) => `${r.name}: ${r.notes}`);
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** Whole numbers from 100 up (records/s, req/s), with decimals below it (latencies in ms). */
function figure(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
}

/** The rows as the Markdown summary table of docs/benchmarks.md: no notes, `—` where a row has no target. */
export function formatMarkdown(rows: readonly BenchRow[]): string {
  const cells = (r: BenchRow) => [
    r.name,
    `${figure(r.figure)} ${r.unit}`,
    `${r.baseline}: ${figure(r.baselineFigure)} ${r.unit}`,
    ratio(r),
    r.spread ?? '',
    r.target ?? '—',
    r.met === undefined ? '—' : r.met ? 'yes' : '**no**',
  ];
  const line = (c: readonly string[]) => `| ${c.map((x) => x.replaceAll('|', '\\|')).join(' | ')} |`;
  const head = ['benchmark', 'figure', 'baseline', 'ratio', 'spread', 'target', 'met'];
  return [line(head), line(head.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}

function ratio(r: BenchRow): string {
  return Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '—';
}
