import { describe, expect, it } from 'vitest';
import { breaches, type Datapoint, evaluateAlarm, nextState } from '../../../emulator/cloudwatch/evaluation.js';
import type { TreatMissingData } from '../../../emulator/cloudwatch/model.js';

/** A range from a picture, oldest first as AWS's documentation draws it: X breaching, 0 not, - missing. */
function range(picture: string): Datapoint[] {
  return [...picture.replaceAll(' ', '')]
    .map((c, i) => (c === '-' ? { timestamp: i } : { timestamp: i, value: c === 'X' ? 20 : 1, sampleCount: 1 }))
    .reverse();
}

const state = (picture: string, treat: TreatMissingData, m = 3, current = 'OK' as const) =>
  nextState(
    evaluateAlarm({
      range: range(picture),
      evaluationPeriods: 3,
      datapointsToAlarm: m,
      threshold: 10,
      comparison: 'GreaterThanThreshold',
      treatMissingData: treat,
    }),
    current,
  );

describe('alarm evaluation (AWS documentation table, 3 of 3, evaluation range of 5)', () => {
  const table: [string, string, string, string, string][] = [
    // data        missing              ignore   breaching notBreaching
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'OK (kept)', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'OK (kept)', 'ALARM', 'OK'],
  ];
  it.each(table)(
    '%s → missing %s, ignore %s, breaching %s, notBreaching %s',
    (picture, missing, ignore, breaching, notBreaching) => {
      expect(state(picture, 'missing')).toBe(missing);
      expect(state(picture, 'ignore')).toBe(ignore.replace(' (kept)', ''));
      expect(state(picture, 'breaching')).toBe(breaching);
      expect(state(picture, 'notBreaching')).toBe(notBreaching);
    },
  );

  it('M out of N counts breaching datapoints among the most recent N real ones', () => {
    expect(state('0 X 0 X', 'missing', 2)).toBe('ALARM');
    expect(state('X X 0 0 X', 'missing', 2)).toBe('OK');
  });

  it('compares with every operator', () => {
    expect(breaches(10, 'GreaterThanThreshold', 10)).toBe(false);
    expect(breaches(10, 'GreaterThanOrEqualToThreshold', 10)).toBe(true);
    expect(breaches(10, 'LessThanThreshold', 10)).toBe(false);
    expect(breaches(10, 'LessThanOrEqualToThreshold', 10)).toBe(true);
    expect(breaches(9, 'LessThanThreshold', 10)).toBe(true);
  });
});
