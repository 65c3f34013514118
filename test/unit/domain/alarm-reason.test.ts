import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src/domain/alarm.js';
import { formatNumber, periodWords, plainReason } from '../../../src/domain/alarm-reason.js';

/** StateReasonData as CloudWatch writes it (numbers as Java doubles). */
function data(recent: number[], threshold: number, extra = ''): string {
  return `{"version":"1.0","queryDate":"2026-11-26T14:01:00.000+0000","statistic":"Sum","period":60,"recentDatapoints":[${recent.map((v) => v.toFixed(1)).join(',')}],"threshold":${threshold.toFixed(1)}${extra}}`;
}

const errors: Alarm = {
  name: 'payments-api-errors',
  kind: 'metric',
  state: 'ALARM',
  since: 0,
  reason: 'Threshold Crossed: 1 datapoint [25.0 (26/11/26 14:00:00)] was greater than the threshold (10.0).',
  reasonData: data([25], 10),
  metric: {
    namespace: 'AWS/Lambda',
    name: 'Errors',
    dimensions: { FunctionName: 'payments-api' },
    statistic: 'Sum',
    periodSeconds: 60,
  },
  threshold: 10,
  comparison: 'GreaterThanThreshold',
  evaluationPeriods: 1,
};

describe('plainReason', () => {
  it.each([
    ['a threshold crossed', errors, 'Errors (sum over 1 min) was 25, above the threshold of 10.'],
    [
      'several datapoints: how many breached, and the recent values',
      {
        ...errors,
        metric: { ...errors.metric, name: 'Duration', statistic: 'p99', periodSeconds: 300 } as Alarm['metric'],
        threshold: 1000,
        reasonData: data([800, 1200, 1450.4], 1000),
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
      'Duration (p99 over 5 min) was 1,450 ms, above the threshold of 1,000 ms (2 of the last 3 periods; recent values 800, 1,200, 1,450).',
    ],
    [
      'back to OK',
      { ...errors, state: 'OK', reasonData: data([0], 10) },
      'Errors (sum over 1 min) was 0, not above the threshold of 10.',
    ],
    [
      'at or below, with a percent unit',
      {
        ...errors,
        comparison: 'LessThanOrEqualToThreshold',
        metric: { ...errors.metric, name: 'Availability', unit: 'Percent', statistic: 'Average' } as Alarm['metric'],
        threshold: 99.5,
        reasonData: data([99.1234], 99.5),
      },
      'Availability (average over 1 min) was 99.1%, at or below the threshold of 99.5%.',
    ],
    [
      'metric math: the label of the query compared',
      {
        ...errors,
        metric: undefined,
        queries: [
          { id: 'e', metric: { ...errors.metric, periodSeconds: 60 } as Alarm['metric'], returnData: false },
          { id: 'rate', expression: '100*e/i', label: 'Error rate %', returnData: true },
        ],
        threshold: 5,
        reasonData: data([12.5], 5),
      } as Alarm,
      'Error rate % (over 1 min) was 12.5, above the threshold of 5.',
    ],
    [
      'metric math without a label: the expression',
      {
        ...errors,
        metric: undefined,
        queries: [{ id: 'rate', expression: '100*e/i', returnData: true }],
        reasonData: data([12.5], 10),
      } as Alarm,
      'Errors (sum over 1 min) was 12.5, above the threshold of 10.'.replace(
        'Errors (sum over 1 min)',
        '`100*e/i` (over 1 min)',
      ),
    ],
    [
      'set by hand without data (SetAlarmState): AWS’s words',
      { ...errors, reasonData: undefined, reason: 'Set by the on-call runbook' },
      'Set by the on-call runbook',
    ],
    [
      'missing data treated as breaching, in plain words',
      {
        ...errors,
        reasonData: data([], 10),
        reason:
          'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].',
      },
      'No data for 3 periods; the alarm counts missing data as breaching.',
    ],
    [
      'insufficient data: AWS’s words',
      { ...errors, state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 1 datapoint was unknown.' },
      'Insufficient Data: 1 datapoint was unknown.',
    ],
    [
      'an anomaly band: AWS’s words, ARNs shortened',
      {
        ...errors,
        comparison: 'LessThanLowerOrGreaterThanUpperThreshold',
        reason: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:x went outside its band',
      },
      'x went outside its band',
    ],
    [
      'a composite alarm: the child that moved',
      {
        name: 'payments-composite',
        kind: 'composite',
        state: 'ALARM',
        since: 0,
        reason: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:payments-api-errors transitioned to ALARM at …',
        reasonData:
          '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:000000000000:alarm:payments-api-errors","state":{"value":"ALARM","timestamp":"2026-11-26T14:00:00.000+0000"}}]}',
      } as Alarm,
      'payments-api-errors went to ALARM, so the composite rule is true.',
    ],
    [
      'data that is not JSON: AWS’s words',
      { ...errors, reasonData: '{not json', reason: 'Threshold Crossed: something' },
      'Threshold Crossed: something',
    ],
  ] as const)('%s', (_, alarm, expected) => {
    expect(plainReason(alarm as Alarm)).toBe(expected);
  });

  it('clips a very long reason', () => {
    const text = plainReason({ ...errors, reasonData: undefined, reason: 'x'.repeat(1000) });
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('formatting', () => {
  it.each([
    [25, '25'],
    [1450.4, '1,450'],
    [12.345, '12.3'],
    [0.01234, '0.0123'],
    [-3, '-3'],
    [1e6, '1,000,000'],
  ])('formatNumber(%d) = %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it.each([
    [10, '10 s'],
    [60, '1 min'],
    [300, '5 min'],
    [3600, '1 h'],
    [90, '90 s'],
  ])('periodWords(%d) = %s', (seconds, text) => {
    expect(periodWords(seconds)).toBe(text);
  });
});
