import { describe, expect, it } from 'vitest';
import {
  episodeOf,
  episodeWords,
  intoAlarm,
  type LastAlert,
  noteWords,
  ordinal,
  repeatWords,
  spanWords,
} from '../../../src/domain/alarm-repeat.js';

const T0 = Date.parse('2026-11-26T14:00:00.000Z');
const MIN = 60_000;
const WINDOW = 10 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const last = (count: number, lastAlarmAt: number): LastAlert => ({ id: 'al1', count, lastAlarmAt: iso(lastAlarmAt) });

describe('intoAlarm: reopen or raise', () => {
  it.each([
    ['no alert before: a new alert', undefined, T0, { kind: 'raise' }],
    [
      'back 4 min after the last alert: reopened, counted',
      last(1, T0),
      T0 + 4 * MIN,
      { kind: 'reopen', id: 'al1', count: 2 },
    ],
    [
      'back exactly realert_after later: still flapping',
      last(2, T0),
      T0 + WINDOW,
      { kind: 'reopen', id: 'al1', count: 3 },
    ],
    [
      'back 1 ms past realert_after: a new incident, after the previous one',
      last(3, T0),
      T0 + WINDOW + 1,
      { kind: 'raise', previous: { id: 'al1', lastAlarmAt: iso(T0), realertAfterMs: WINDOW } },
    ],
    ['the same ALARM the alert was raised for: already told', last(1, T0), T0, { kind: 'known' }],
    ['an ALARM older than the alert: already told', last(1, T0), T0 - 1, { kind: 'known' }],
  ] as const)('%s', (_, before, since, expected) => {
    expect(intoAlarm(before, since, WINDOW)).toEqual(expected);
  });

  it('the window runs from the last ALARM, not the first: an alarm flapping for an hour keeps one alert', () => {
    let alert = last(1, T0);
    for (let k = 1; k <= 12; k++) {
      const decision = intoAlarm(alert, T0 + k * 5 * MIN, WINDOW);
      expect(decision).toEqual({ kind: 'reopen', id: 'al1', count: k + 1 });
      alert = last(k + 1, T0 + k * 5 * MIN);
    }
  });
});

describe('words that tell flapping from a new incident', () => {
  it('a first alert says neither', () => {
    const episode = episodeOf({ since: iso(T0), count: 1, lastAlarmAt: iso(T0) });
    expect(episode).toEqual({ kind: 'first' });
    expect(episodeWords(episode)).toBeUndefined();
  });

  it('a reopened alert is flapping: how many times, over how long', () => {
    const episode = episodeOf({ since: iso(T0), count: 5, lastAlarmAt: iso(T0 + 160_000) });
    expect(episode).toEqual({ kind: 'flapping', count: 5, spanMs: 160_000 });
    expect(episodeWords(episode)).toBe(
      'Flapping: in ALARM 5 times in 3 min; each return reopened this alert instead of posting a new one',
    );
  });

  it('a new alert after an older one is a new incident, and says how long after', () => {
    const previous = { id: 'al0', lastAlarmAt: iso(T0 - 25 * MIN), realertAfterMs: WINDOW };
    const episode = episodeOf({ since: iso(T0), count: 1, lastAlarmAt: iso(T0), previous });
    expect(episode).toEqual({ kind: 'new-incident', gapMs: 25 * MIN, realertAfterMs: WINDOW });
    expect(episodeWords(episode)).toBe(
      'New incident: the previous alert of this alarm was 25 min earlier, more than realert_after (10 min)',
    );
  });

  it('the thread replies, in plain words', () => {
    const reopened = (count: number, at: number) =>
      noteWords('orders-errors', iso(T0), { seq: 1, kind: 'reopened', at: iso(at), reason: 'r', count });
    expect(reopened(3, T0 + 4 * MIN)).toBe('orders-errors is back in ALARM — 3rd time in 4 min: flapping');
    expect(reopened(2, T0 + 40_000)).toBe('orders-errors is back in ALARM — 2nd time in 40 s: flapping');
    expect(repeatWords(5, iso(T0), iso(T0 + 160_000))).toBe('5th time in 3 min: flapping');
    const note = { seq: 2, at: iso(T0), reason: 'r' };
    expect(noteWords('orders-errors', iso(T0), { ...note, kind: 'resolved' })).toBe('orders-errors is back to OK');
    expect(noteWords('orders-errors', iso(T0), { ...note, kind: 'no-data' })).toBe(
      'orders-errors went to INSUFFICIENT_DATA; the alert stays open',
    );
  });

  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [101, '101st'],
    [112, '112th'],
  ])('ordinal(%i) is %s', (n, words) => {
    expect(ordinal(n)).toBe(words);
  });

  it.each([
    [0, '0 s'],
    [40_000, '40 s'],
    [59_400, '59 s'],
    [59_600, '1 min'],
    [160_000, '3 min'],
    [10 * MIN, '10 min'],
    [60 * MIN, '1 h'],
    [125 * MIN, '2 h 5 min'],
    [-5_000, '0 s'],
  ])('spanWords(%i) is %s', (ms, words) => {
    expect(spanWords(ms)).toBe(words);
  });
});
