import { describe, expect, it } from 'vitest';
import { alternate, median, percentile, slope, spread, throughput } from '../../../bench/stats.js';
import { formatMarkdown, formatTable } from '../../../bench/table.js';

describe('bench stats', () => {
  it('median and spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(spread([0.61, 0.7, 0.745])).toBe('0.61–0.74');
  });

  it('percentile by nearest rank: always a measured value', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 3], 1)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 99)).toBe(11);
    expect(() => percentile([], 99)).toThrow();
  });

  it('slope: least-squares growth per unit of x', () => {
    expect(slope([1, 2, 3, 4], [10, 12, 14, 16])).toBeCloseTo(2);
    // Noise either side of a line: a small slope, up or down.
    expect(slope([1, 2, 3, 4], [5, 7, 5, 7])).toBeCloseTo(0.4);
    expect(slope([1, 2, 3, 4], [7, 5, 7, 5])).toBeCloseTo(-0.4);
    expect(() => slope([1], [1])).toThrow();
    expect(() => slope([2, 2], [1, 3])).toThrow();
  });

  it('alternate: pairs of adjacent runs, the baseline first in the first pair, then the other way round', async () => {
    const order: string[] = [];
    let n = 0;
    const { a, b, ratios } = await alternate(
      3,
      async () => {
        order.push('a');
        return 10 * ++n;
      },
      async () => {
        order.push('b');
        return ++n;
      },
      async () => {
        order.push('|');
      },
    );
    expect(order.join('')).toBe('ba|ab|ba|');
    expect(a).toEqual([20, 30, 60]);
    expect(b).toEqual([1, 4, 5]);
    expect(ratios).toEqual([20, 7.5, 12]);
  });

  it('throughput runs every operation once, at most `concurrency` at a time', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await throughput(20, 4, async (i) => {
      running++;
      most = Math.max(most, running);
      seen.push(i);
      await Promise.resolve();
      running--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(4);
  });
});

describe('formatTable', () => {
  it('aligns the columns and puts notes below', () => {
    const text = formatTable([
      {
        name: 'audit append',
        figure: 51234.4,
        unit: 'records/s',
        baseline: 'raw XADD',
        baselineFigure: 90000,
        ratio: 0.5693,
        spread: '0.50–0.61',
        target: 'ratio ≥ 0.5',
        met: true,
        notes: '7 runs',
      },
      { name: 'x', figure: 1, unit: 'ops/s', baseline: 'y', baselineFigure: 2, ratio: 0.5, met: false },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+figure\s+baseline\s+baseline figure\s+ratio\s+spread\s+target\s+met$/);
    expect(lines[2]).toContain('51,234 records/s');
    expect(lines[2]).toContain('0.57');
    expect(lines[2]?.endsWith('yes')).toBe(true);
    expect(lines[3]?.endsWith('NO')).toBe(true);
    expect(lines[2]?.indexOf('raw XADD')).toBe(lines[3]?.indexOf('y'));
    expect(lines.at(-1)).toBe('audit append: 7 runs');
  });

  it('shows latencies with decimals and rates as whole numbers', () => {
    const row = { name: 'x', unit: 'ms', baseline: 'y', ratio: 2 };
    expect(formatTable([{ ...row, figure: 3.987, baselineFigure: 42.06 }])).toContain('3.99 ms  y         42.1 ms');
    expect(formatTable([{ ...row, figure: 546.4, baselineFigure: 4695.2 }])).toContain('546 ms');
  });
});

describe('formatMarkdown', () => {
  const row = { name: 'memory: RSS idle', figure: 120.4, unit: 'MB', baseline: 'bare | app', baselineFigure: 74.5 };
  it('one line a row, baseline with its figure, pipes escaped, no ratio where none could be taken', () => {
    const lines = formatMarkdown([
      { ...row, ratio: 1.616, target: 'ratio ≤ 2', met: true },
      { ...row, ratio: Number.NaN, met: false },
    ]).split('\n');
    expect(lines[0]).toBe('| benchmark | figure | baseline | ratio | spread | target | met |');
    expect(lines[2]).toBe('| memory: RSS idle | 120 MB | bare \\| app: 74.5 MB | 1.62 |  | ratio ≤ 2 | yes |');
    expect(lines[3]).toBe('| memory: RSS idle | 120 MB | bare \\| app: 74.5 MB | — |  | — | **no** |');
    expect(formatTable([{ ...row, ratio: Number.NaN }])).toContain('  —');
  });
});
