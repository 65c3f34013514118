/**
 * The whole table of what a poll does with one alarm: its state then and now (transitionOf), and
 * for a return to ALARM, its latest alert (intoAlarm). The poller applies exactly this.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmStateValue } from '../../../src/domain/alarm.js';
import { intoAlarm, type LastAlert } from '../../../src/domain/alarm-repeat.js';
import { type SeenState, transitionOf } from '../../../src/domain/alarm-transition.js';

const T = Date.parse('2026-11-26T14:00:00.000Z');
const MIN = 60_000;
const WINDOW = 10 * MIN;
const at = (state: AlarmStateValue, since: number): SeenState => ({ state, since });
const latest = (count: number, lastAlarmAt: number): LastAlert => ({
  id: 'al1',
  count,
  lastAlarmAt: new Date(lastAlarmAt).toISOString(),
});

function step(seen: SeenState | undefined, now: SeenState, last: LastAlert | undefined): string {
  const t = transitionOf(seen, now);
  if (t.kind !== 'alarm') return t.kind;
  const d = intoAlarm(last, now.since, WINDOW);
  if (d.kind === 'reopen') return `reopen ×${d.count}`;
  if (d.kind === 'raise') return `raise${t.firstSight ? ' (first sight)' : ''}${d.previous ? ' (new incident)' : ''}`;
  return d.kind;
}

describe('what a poll does with one alarm', () => {
  it.each([
    ['never seen, in ALARM', undefined, at('ALARM', T), undefined, 'raise (first sight)'],
    ['never seen, OK', undefined, at('OK', T), undefined, 'remember'],
    ['never seen, no data', undefined, at('INSUFFICIENT_DATA', T), undefined, 'remember'],
    ['unchanged', at('ALARM', T), at('ALARM', T), latest(1, T), 'none'],
    ['OK → ALARM, no alert before', at('OK', T - MIN), at('ALARM', T), undefined, 'raise'],
    [
      'OK → ALARM 4 min after the last alert (resolved): flapping',
      at('OK', T - MIN),
      at('ALARM', T),
      latest(1, T - 4 * MIN),
      'reopen ×2',
    ],
    [
      'OK → ALARM 11 min after the last alert: a new incident',
      at('OK', T - MIN),
      at('ALARM', T),
      latest(4, T - 11 * MIN),
      'raise (new incident)',
    ],
    [
      'no data → ALARM, the alert still open: flapping',
      at('INSUFFICIENT_DATA', T - MIN),
      at('ALARM', T),
      latest(2, T - 3 * MIN),
      'reopen ×3',
    ],
    [
      'no data → ALARM half an hour on: a new incident',
      at('INSUFFICIENT_DATA', T - MIN),
      at('ALARM', T),
      latest(1, T - 30 * MIN),
      'raise (new incident)',
    ],
    [
      'ALARM → OK → ALARM between two polls',
      at('ALARM', T - 2 * MIN),
      at('ALARM', T),
      latest(1, T - 2 * MIN),
      'reopen ×2',
    ],
    ['never seen, but this ALARM was alerted (state lost)', undefined, at('ALARM', T), latest(1, T), 'known'],
    ['ALARM → OK: resolve', at('ALARM', T - MIN), at('OK', T), latest(1, T - MIN), 'ok'],
    [
      'ALARM → no data: a note, the alert stays open',
      at('ALARM', T - MIN),
      at('INSUFFICIENT_DATA', T),
      latest(1, T - MIN),
      'no-data',
    ],
    ['no data → OK: resolve what is open', at('INSUFFICIENT_DATA', T - MIN), at('OK', T), latest(1, T - 2 * MIN), 'ok'],
    ['OK → no data: remember', at('OK', T - MIN), at('INSUFFICIENT_DATA', T), undefined, 'remember'],
  ] as const)('%s → %s', (_, seen, now, last, expected) => {
    expect(step(seen, now, last)).toBe(expected);
  });
});
