/** How an alert tells flapping from a new incident, and what its thread replies say (issue 15). */
import { describe, expect, it } from 'vitest';
import { renderAlert, renderThread } from '../../../src/adapters/slack/render/alerts.js';
import type { Alert, ThreadNote } from '../../../src/domain/alert.js';

const alert: Alert = {
  id: 'alabcdefghjkmnpqrs',
  alarm: 'orders-errors',
  fn: 'orders-api',
  reason: 'Errors (sum over 1 min) was 25, above the threshold of 10.',
  since: '2026-11-26T14:00:00.000Z',
  firstSight: false,
  channel: 'C0ALERTS',
  raisedAt: '2026-11-26T14:00:05.000Z',
  context: { alias: 'prod', routing: { primary: '2' }, rollback: { version: '1' } },
  count: 1,
  lastAlarmAt: '2026-11-26T14:00:00.000Z',
  undelivered: [],
  notes: [],
  failures: 0,
  rev: 2,
};
const flapping: Alert = { ...alert, count: 5, lastAlarmAt: '2026-11-26T14:02:40.000Z' };

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;
const actions = (m: { blocks: unknown[] }) =>
  (m.blocks as { type: string; elements?: { action_id: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.action_id);

describe('the alert message', () => {
  it('a first alert says neither flapping nor new incident', () => {
    const m = text(renderAlert(alert));
    expect(m).not.toMatch(/Flapping|New incident/);
    expect(renderAlert(alert).text).toMatch(/^ALARM: orders-errors on orders-api:prod/);
  });

  it('a reopened alert says it is flapping, how often, over how long, and since when', () => {
    const m = renderAlert(flapping);
    expect(m.text).toMatch(/^ALARM \(flapping, 5th time\): orders-errors on orders-api:prod — Errors/);
    expect(text(m)).toContain(
      ':repeat: *Flapping*: in ALARM 5 times in 3 min; each return reopened this alert instead of posting a new one',
    );
    expect(text(m)).toMatch(/In ALARM since <!date\^1795701760\^[^>]*> \(first <!date\^1795701600\^/);
    expect(actions(m)).toEqual(['alarm.rollback', 'alarm.ack']);
  });

  it('a resolved flapping alert still says how often it came back', () => {
    const m = renderAlert({ ...flapping, resolved: { at: '2026-11-26T14:03:00.000Z', reason: 'ok' } });
    expect(m.text).toMatch(/^Resolved \(flapping, 5th time\): /);
    expect(text(m)).toContain('in ALARM 5 times in 3 min');
  });

  it('a new alert after an older one says it is a new incident, and how long after', () => {
    const previous = { id: 'al0', lastAlarmAt: '2026-11-26T13:35:00.000Z', realertAfterMs: 600_000 };
    const m = renderAlert({ ...alert, previous });
    expect(m.text).toMatch(/^ALARM \(new incident\): orders-errors/);
    expect(text(m)).toContain(
      ':new: *New incident*: the previous alert of this alarm was 25 min earlier, more than realert_after (10 min)',
    );
  });

  it('no data: still ALARM, buttons and all, and says the alert stays open', () => {
    const noData = {
      at: '2026-11-26T14:03:00.000Z',
      reason: 'No data for 3 periods; the alarm counts missing data as not breaching.',
    };
    const m = renderAlert({ ...alert, noData });
    expect(m.text).toMatch(/^ALARM: /);
    expect(text(m)).toContain(':grey_question: INSUFFICIENT_DATA since <!date^1795701780^');
    expect(text(m)).toContain('The alert stays open until the alarm is back to OK.');
    expect(actions(m)).toEqual(['alarm.rollback', 'alarm.ack']);
  });
});

describe('the thread replies', () => {
  const reopened = (seq: number, count: number, at: string): ThreadNote => ({
    seq,
    kind: 'reopened',
    at,
    reason: 'Errors (sum over 1 min) was 31, above the threshold of 10.',
    count,
  });

  it('back in ALARM: which time, over how long, flapping, and why', () => {
    const m = renderThread(flapping, [reopened(7, 3, '2026-11-26T14:04:00.000Z')]);
    expect(m.text).toBe('orders-errors is back in ALARM — 3rd time in 4 min: flapping');
    expect(text(m)).toMatch(
      /:repeat: `orders-errors` is back in ALARM <!date\^1795701840\^[^>]*> — 3rd time in 4 min: flapping\. Errors \(sum over 1 min\) was 31/,
    );
    expect(text(m)).not.toContain('<@');
  });

  it('back in ALARM on an alert someone took: they are named, so that they hear of it', () => {
    const note = reopened(2, 2, '2026-11-26T14:01:00.000Z');
    const acked = renderThread({ ...flapping, ack: { by: 'U0ALICE', at: '2026-11-26T14:00:30.000Z' } }, [note]);
    expect(text(acked)).toContain('<@U0ALICE> acknowledged it <!date');
    const rolledBack = { by: 'U0ONCALL', at: '2026-11-26T14:00:40.000Z', to: '1' };
    expect(text(renderThread({ ...flapping, rolledBack }, [note]))).toContain(
      '<@U0ONCALL> rolled it back to v1 <!date',
    );
  });

  it('no data: says so, and that the alert stays open', () => {
    const note: ThreadNote = {
      seq: 1,
      kind: 'no-data',
      at: '2026-11-26T14:03:00.000Z',
      reason: 'No data for 3 periods; the alarm counts missing data as not breaching.',
    };
    const m = renderThread(alert, [note]);
    expect(m.text).toBe('orders-errors went to INSUFFICIENT_DATA; the alert stays open');
    expect(text(m)).toContain(
      '`orders-errors` went to INSUFFICIENT_DATA <!date^1795701780^{date_short_pretty} {time}|2026-11-26T14:03:00.000Z>: No data for 3 periods; the alarm counts missing data as not breaching; the alert stays open.',
    );
  });

  it('several notes in one reply, oldest first; a long backlog is summed up within Slack’s limits', () => {
    const resolved = (seq: number): ThreadNote => ({ seq, kind: 'resolved', at: alert.since, reason: 'ok' });
    const two = renderThread(flapping, [resolved(1), reopened(2, 2, '2026-11-26T14:01:00.000Z')]);
    expect(two.text).toBe('orders-errors is back to OK · orders-errors is back in ALARM — 2nd time in 1 min: flapping');
    expect(two.blocks).toHaveLength(2);
    const many = Array.from({ length: 40 }, (_, i) => (i % 2 ? reopened(i + 1, 2, alert.since) : resolved(i + 1)));
    const m = renderThread(flapping, many);
    expect(m.blocks).toHaveLength(11);
    expect(text(m)).toContain('30 earlier changes of the alarm, not shown one by one.');
  });

  it('what AWS wrote cannot ping anyone', () => {
    const m = renderThread(alert, [{ seq: 1, kind: 'no-data', at: alert.since, reason: '<!channel> gone' }]);
    expect(text(m)).not.toContain('<!channel>');
  });
});
