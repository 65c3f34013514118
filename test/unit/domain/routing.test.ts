import { describe, expect, it } from 'vitest';
import {
  describeRouting,
  type Routing,
  sameRouting,
  shift,
  splitText,
  toPercent,
  weightsOf,
} from '../../../src/domain/routing.js';

const v42: Routing = { primary: '42' };
const split: Routing = { primary: '42', additional: { version: '43', weight: 0.2 } };

describe('shift (P% to V, the rest to the current primary)', () => {
  it('adds a weighted version to a single-version alias', () => {
    expect(shift(v42, '43', 10)).toEqual({
      ok: true,
      routing: { primary: '42', additional: { version: '43', weight: 0.1 } },
    });
  });

  it('re-weights the version already shifted', () => {
    expect(shift(split, '43', 50)).toEqual({
      ok: true,
      routing: { primary: '42', additional: { version: '43', weight: 0.5 } },
    });
  });

  it('replaces another additional version (it loses its share)', () => {
    expect(shift(split, '44', 5)).toEqual({
      ok: true,
      routing: { primary: '42', additional: { version: '44', weight: 0.05 } },
    });
  });

  it('0% clears the routing', () => {
    expect(shift(split, '43', 0)).toEqual({ ok: true, routing: { primary: '42' } });
  });

  it('100% is a promote', () => {
    expect(shift(split, '43', 100)).toEqual({ ok: true, routing: { primary: '43' } });
  });

  it('keeps one decimal exactly', () => {
    expect(shift(v42, '43', 12.5)).toMatchObject({ routing: { additional: { weight: 0.125 } } });
    expect(shift(v42, '43', 0.1)).toMatchObject({ routing: { additional: { weight: 0.001 } } });
    expect(shift(v42, '43', 99.9)).toMatchObject({ routing: { additional: { weight: 0.999 } } });
  });

  it('refuses to shift to the primary itself', () => {
    expect(shift(split, '42', 30)).toMatchObject({ ok: false, problem: expect.stringMatching(/already the primary/) });
  });

  it('refuses to split an alias on $LATEST (AWS cannot), but allows promoting away from it', () => {
    expect(shift({ primary: '$LATEST' }, '3', 10)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/\$LATEST/),
    });
    expect(shift({ primary: '$LATEST' }, '3', 100)).toEqual({ ok: true, routing: { primary: '3' } });
  });
});

describe('weights and display', () => {
  it('weightsOf gives every version its share, summing to 1', () => {
    expect(weightsOf(v42)).toEqual({ '42': 1 });
    expect(weightsOf(split)).toEqual({ '42': 0.8, '43': 0.2 });
    expect(weightsOf({ primary: '1', additional: { version: '2', weight: 0.1 } })).toEqual({ '1': 0.9, '2': 0.1 });
  });

  it('describes the split with a ten-cell bar, primary first even when its number is higher', () => {
    expect(describeRouting(split)).toBe('████████░░ 80% v42 · 20% v43');
    expect(describeRouting(v42)).toBe('██████████ 100% v42');
    expect(splitText({ primary: '43', additional: { version: '42', weight: 0.125 } })).toBe('87.5% v43 · 12.5% v42');
  });

  it('toPercent rounds to one decimal', () => {
    expect(toPercent(0.125)).toBe(12.5);
    expect(toPercent(1 / 3)).toBe(33.3);
  });

  it('sameRouting compares exactly', () => {
    expect(sameRouting(split, { primary: '42', additional: { version: '43', weight: 0.2 } })).toBe(true);
    expect(sameRouting(split, v42)).toBe(false);
  });
});
