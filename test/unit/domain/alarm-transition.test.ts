import { describe, expect, it } from 'vitest';
import { decodeSeen, encodeSeen, type SeenState, transitionOf } from '../../../src/domain/alarm-transition.js';

const s = (state: SeenState['state'], since: number): SeenState => ({ state, since });

describe('transitionOf', () => {
  it.each([
    ['first sight in ALARM: alert once', undefined, s('ALARM', 5), { kind: 'alarm', firstSight: true }],
    ['first sight in OK: remember only', undefined, s('OK', 5), { kind: 'remember' }],
    ['first sight with insufficient data: remember only', undefined, s('INSUFFICIENT_DATA', 5), { kind: 'remember' }],
    ['nothing changed', s('ALARM', 5), s('ALARM', 5), { kind: 'none' }],
    ['nothing changed (OK)', s('OK', 5), s('OK', 5), { kind: 'none' }],
    ['OK → ALARM', s('OK', 5), s('ALARM', 9), { kind: 'alarm', firstSight: false }],
    ['INSUFFICIENT_DATA → ALARM', s('INSUFFICIENT_DATA', 5), s('ALARM', 9), { kind: 'alarm', firstSight: false }],
    ['ALARM → OK: resolve', s('ALARM', 5), s('OK', 9), { kind: 'ok' }],
    ['ALARM → INSUFFICIENT_DATA: a note, not resolved', s('ALARM', 5), s('INSUFFICIENT_DATA', 9), { kind: 'no-data' }],
    ['OK → INSUFFICIENT_DATA: remember only', s('OK', 5), s('INSUFFICIENT_DATA', 9), { kind: 'remember' }],
    [
      'INSUFFICIENT_DATA again, later: remember only',
      s('INSUFFICIENT_DATA', 5),
      s('INSUFFICIENT_DATA', 9),
      { kind: 'remember' },
    ],
    ['INSUFFICIENT_DATA → OK: resolves what is open', s('INSUFFICIENT_DATA', 5), s('OK', 9), { kind: 'ok' }],
    [
      'back in ALARM between two polls: one more return (reopen or raise, by the latest alert)',
      s('ALARM', 5),
      s('ALARM', 9),
      { kind: 'alarm', firstSight: false },
    ],
    ['OK again between two polls: nothing open to alert', s('OK', 5), s('OK', 9), { kind: 'ok' }],
  ] as const)('%s', (_, seen, now, expected) => {
    expect(transitionOf(seen, now)).toEqual(expected);
  });
});

describe('seen states as stored', () => {
  it('round-trip', () => {
    const seen = s('INSUFFICIENT_DATA', 1_764_165_180_000);
    expect(encodeSeen(seen)).toBe('INSUFFICIENT_DATA|1764165180000');
    expect(decodeSeen(encodeSeen(seen))).toEqual(seen);
  });

  it.each(['', 'ALARM', 'BROKEN|5', 'OK|soon'])('%j is not a state', (text) => {
    expect(decodeSeen(text)).toBeUndefined();
  });
});
