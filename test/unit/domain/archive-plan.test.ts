import { describe, expect, it } from 'vitest';
import { lagNotice, retryAfterMs, segmentDue, trimThrough } from '../../../src/domain/archive-plan.js';
import { addPeriod, parsePeriod, periodMs } from '../../../src/domain/duration.js';
import { chainOf } from '../../support/audit-chain.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const rules = { maxRecords: 5, intervalMs: 5 * MINUTE, retainInRedisMs: DAY, alertLagMs: 60 * MINUTE };
const START = Date.UTC(2025, 0, 1);

describe('segmentDue', () => {
  const records = chainOf(5, START);

  it('cuts a segment once max_records wait, whatever their age', () => {
    expect(segmentDue(records, new Date(START + 5 * MINUTE), rules)).toBe(true);
    expect(segmentDue(records.slice(0, 4), new Date(START + 4 * MINUTE), rules)).toBe(false);
  });

  it('cuts a segment once the oldest has waited an interval', () => {
    expect(segmentDue(records.slice(0, 1), new Date(START + 5 * MINUTE - 1), rules)).toBe(false);
    expect(segmentDue(records.slice(0, 1), new Date(START + 5 * MINUTE), rules)).toBe(true);
  });

  it('has nothing to do with nothing waiting', () => {
    expect(segmentDue([], new Date(START + DAY), rules)).toBe(false);
  });
});

describe('trimThrough', () => {
  const records = [
    ...chainOf(4, START),
    ...chainOf(6, START)
      .slice(4)
      .map((r) => ({ ...r, function: 'orders-api' })),
  ];

  it('stops at the first record not archived', () => {
    expect(trimThrough(records, { id: 3, hash: '' }, new Date(START + 10 * DAY), DAY)).toEqual({
      id: 3,
      functions: ['payments-api'],
    });
  });

  it('stops at the first record inside the retention window', () => {
    // Records are a minute apart: those older than a day at START + 1 day + 2.5 minutes are 1, 2 and 3.
    expect(trimThrough(records, { id: 6, hash: '' }, new Date(START + DAY + 2.5 * MINUTE), DAY)).toMatchObject({
      id: 3,
    });
    expect(trimThrough(records, { id: 6, hash: '' }, new Date(START + 2 * DAY), DAY)).toEqual({
      id: 6,
      functions: ['payments-api', 'orders-api'],
    });
  });

  it('trims nothing when nothing is both archived and old', () => {
    expect(trimThrough(records, { id: 0, hash: '' }, new Date(START + 10 * DAY), DAY)).toBeUndefined();
    expect(trimThrough(records, { id: 6, hash: '' }, new Date(START + MINUTE), DAY)).toBeUndefined();
  });
});

describe('retryAfterMs', () => {
  it('doubles from 15 s up to 15 min', () => {
    expect([1, 2, 3, 4, 6, 7, 50].map(retryAfterMs)).toEqual([
      15_000, 30_000, 60_000, 120_000, 480_000, 900_000, 900_000,
    ]);
  });
});

describe('lagNotice', () => {
  it('alerts once past the limit and notes the recovery once', () => {
    expect(lagNotice(false, { records: 3, ms: 61 * MINUTE }, 60 * MINUTE)).toBe('behind');
    expect(lagNotice(true, { records: 30, ms: 5 * 60 * MINUTE }, 60 * MINUTE)).toBeUndefined();
    expect(lagNotice(true, { records: 0, ms: 0 }, 60 * MINUTE)).toBe('recovered');
    expect(lagNotice(false, { records: 2, ms: 10 * MINUTE }, 60 * MINUTE)).toBeUndefined();
  });
});

describe('periods', () => {
  it('parses years, days and durations', () => {
    expect(parsePeriod('7y')).toEqual({ unit: 'years', n: 7 });
    expect(parsePeriod('30d')).toEqual({ unit: 'days', n: 30 });
    expect(parsePeriod('12h')).toEqual({ unit: 'ms', n: 12 * 3_600_000 });
    for (const bad of ['', '7', 'y', '1.5y', '7 y', '-1d', '1y2d']) expect(parsePeriod(bad)).toBeUndefined();
  });

  it('adds calendar years and 24-hour days', () => {
    expect(addPeriod(new Date('2025-03-10T12:00:00Z'), { unit: 'years', n: 7 }).toISOString()).toBe(
      '2032-03-10T12:00:00.000Z',
    );
    expect(addPeriod(new Date('2025-03-10T12:00:00Z'), { unit: 'days', n: 30 }).toISOString()).toBe(
      '2025-04-09T12:00:00.000Z',
    );
    expect(periodMs({ unit: 'days', n: 30 })).toBe(30 * DAY);
    expect(periodMs({ unit: 'years', n: 1 })).toBe(365 * DAY);
  });
});
