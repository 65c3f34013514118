import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  evaluate,
  parseExpression,
  referencedIds,
  type TimeSeries,
} from '../../../emulator/cloudwatch/expression.js';

const series = (entries: [number, number][]): TimeSeries => new Map(entries);
const run = (text: string, ids: Record<string, TimeSeries>, grid: number[] = []) =>
  evaluate(parseExpression(text), (id) => ids[id], grid);

describe('metric math expressions', () => {
  const e = series([
    [0, 5],
    [60, 0],
    [120, 3],
  ]);
  const i = series([
    [0, 100],
    [60, 0],
    [180, 10],
  ]);

  it('respects precedence and parentheses, and aligns series by timestamp', () => {
    expect(run('100*e/i', { e, i })).toEqual(
      series([
        [0, 5],
        [60, Number.NaN],
      ]),
    );
    expect(run('(e + 1) * 2', { e })).toEqual(
      series([
        [0, 12],
        [60, 2],
        [120, 8],
      ]),
    );
    expect(run('2 + 3 * 4 - 6 / 2', {})).toBe(11);
    expect(run('-e + 1', { e })).toEqual(
      series([
        [0, -4],
        [60, 1],
        [120, -2],
      ]),
    );
  });

  it('FILL fills every period of the grid', () => {
    expect(run('FILL(e, 0)', { e }, [0, 60, 120, 180])).toEqual(
      series([
        [0, 5],
        [60, 0],
        [120, 3],
        [180, 0],
      ]),
    );
  });

  it('names the ids it uses, and rejects bad input', () => {
    expect(referencedIds(parseExpression('100*eN/iN + FILL(x, 1)'))).toEqual(['eN', 'iN', 'x']);
    expect(() => parseExpression('e *')).toThrow(ExpressionError);
    expect(() => parseExpression('(e')).toThrow(ExpressionError);
    expect(() => run('SUM(e)', { e })).toThrow(/Unsupported function/);
    expect(() => run('nope + 1', {})).toThrow(/Unrecognized metric id/);
  });
});
