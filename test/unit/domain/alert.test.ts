import { describe, expect, it } from 'vitest';
import { type Alert, alreadyDecided, offersAck, rollbackOffer } from '../../../src/domain/alert.js';

const open: Alert = {
  id: 'al1',
  alarm: 'payments-api-errors',
  fn: 'payments-api',
  reason: 'Errors was 25',
  since: '2026-11-26T14:00:00.000Z',
  firstSight: false,
  channel: 'C0PAYMENTS',
  raisedAt: '2026-11-26T14:00:05.000Z',
  context: { alias: 'prod', routing: { primary: '42' }, rollback: { version: '41' } },
  count: 1,
  lastAlarmAt: '2026-11-26T14:00:00.000Z',
  undelivered: [],
  notes: [],
  failures: 0,
  rev: 1,
};
const acked: Alert = { ...open, ack: { by: 'U0ALICE', at: 't' } };
const rolledBack: Alert = { ...open, rolledBack: { by: 'U0ONCALL', at: 't', to: '41' } };
const resolved: Alert = { ...open, resolved: { at: 't', reason: 'back' } };
const noTarget: Alert = { ...open, context: { alias: 'prod', rollback: { unavailable: 'no history' } } };
const noAlias: Alert = { ...open, context: { rollback: { version: '41' } } };

describe('what an alert still offers', () => {
  it.each([
    ['open', open, { alias: 'prod', version: '41' }, true],
    ['acknowledged: rollback still, ack no more', acked, { alias: 'prod', version: '41' }, false],
    ['rolled back: nothing', rolledBack, undefined, false],
    ['resolved: nothing', resolved, undefined, false],
    ['no version to go back to: ack only', noTarget, undefined, true],
    ['no alias: ack only', noAlias, undefined, true],
  ] as const)('%s', (_, alert, rollback, ack) => {
    expect(rollbackOffer(alert)).toEqual(rollback);
    expect(offersAck(alert)).toBe(ack);
  });
});

describe('alreadyDecided', () => {
  it.each([
    ['open, rollback', open, 'rollback', undefined],
    ['open, ack', open, 'ack', undefined],
    ['acknowledged, rollback: still allowed', acked, 'rollback', undefined],
    ['acknowledged, ack', acked, 'ack', { reason: 'this alert was already acknowledged', by: 'U0ALICE' }],
    [
      'rolled back, rollback',
      rolledBack,
      'rollback',
      { reason: 'payments-api:prod was already rolled back to v41 from this alert', by: 'U0ONCALL' },
    ],
    [
      'rolled back, ack',
      rolledBack,
      'ack',
      { reason: 'payments-api:prod was already rolled back to v41 from this alert', by: 'U0ONCALL' },
    ],
    ['resolved', resolved, 'rollback', { reason: 'alarm payments-api-errors is back to OK, so this alert is closed' }],
  ] as const)('%s', (_, alert, click, expected) => {
    expect(alreadyDecided(alert, click)).toEqual(expected);
  });
});
