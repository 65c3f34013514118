import { describe, expect, it } from 'vitest';
import { alarmStateBlocks, renderAlarms } from '../../../src/adapters/slack/render/alarms.js';
import { renderAlert, renderThread } from '../../../src/adapters/slack/render/alerts.js';
import { renderNotice } from '../../../src/adapters/slack/render/notices.js';
import type { Alert } from '../../../src/domain/alert.js';

const alert: Alert = {
  id: 'alabcdefghjkmnpqrs',
  alarm: 'orders-errors',
  fn: 'orders-api',
  reason: 'Errors (sum over 1 min) was 25, above the threshold of 10.',
  since: '2026-11-26T14:00:00.000Z',
  firstSight: false,
  channel: 'C0ALERTS',
  raisedAt: '2026-11-26T14:00:05.000Z',
  context: {
    alias: 'prod',
    routing: { primary: '2', additional: { version: '3', weight: 0.1 } },
    lastChange: {
      actor: 'U0ALICE',
      action: 'shift',
      at: '2026-11-26T13:50:00.000Z',
      from: { version: '2', weights: { '2': 1 } },
      to: { version: '2', weights: { '2': 0.9, '3': 0.1 } },
      auditId: '7',
    },
    rollback: { version: '2' },
  },
  count: 1,
  lastAlarmAt: '2026-11-26T14:00:00.000Z',
  undelivered: [],
  notes: [],
  failures: 0,
  rev: 2,
};

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

function buttons(m: { blocks: unknown[] }) {
  const actions = m.blocks.find((b) => (b as { type: string }).type === 'actions') as
    | { elements: { action_id: string; value: string; text: { text: string }; style?: string; confirm?: unknown }[] }
    | undefined;
  return actions?.elements ?? [];
}

describe('renderAlert', () => {
  it('an open alert: alarm, reason, routing bar, last change, and both buttons with the alert ID', () => {
    const m = renderAlert(alert);
    expect(m.text).toBe(
      'ALARM: orders-errors on orders-api:prod — Errors (sum over 1 min) was 25, above the threshold of 10.',
    );
    const all = text(m);
    expect(all).toContain('`orders-errors`');
    expect(all).toContain('█████████░ 90% v2 · 10% v3');
    expect(all).toContain('shift by <@U0ALICE>');
    expect(all).toContain('100% v2 → 90% v2 · 10% v3');
    expect(buttons(m)).toEqual([
      expect.objectContaining({
        action_id: 'alarm.rollback',
        value: alert.id,
        text: { type: 'plain_text', text: 'Roll back to v2' },
        style: 'danger',
        confirm: expect.objectContaining({ style: 'danger' }),
      }),
      expect.objectContaining({
        action_id: 'alarm.ack',
        value: alert.id,
        text: { type: 'plain_text', text: 'Acknowledge' },
      }),
    ]);
  });

  it('acknowledged: says by whom; rollback stays, acknowledge goes', () => {
    const m = renderAlert({ ...alert, ack: { by: 'U0BOB', at: '2026-11-26T14:01:00.000Z' } });
    expect(text(m)).toContain('Acknowledged by <@U0BOB>');
    expect(buttons(m).map((b) => b.action_id)).toEqual(['alarm.rollback']);
  });

  it('rolled back: who, to what, when; no buttons', () => {
    const m = renderAlert({
      ...alert,
      rolledBack: { by: 'U0ONCALL', at: '2026-11-26T14:02:00.000Z', to: '2', auditId: '12' },
    });
    expect(text(m)).toMatch(/<@U0ONCALL> rolled back \*orders-api:prod\* to v2 <!date\^\d+\^/);
    expect(text(m)).toContain('audit record #12');
    expect(buttons(m)).toEqual([]);
  });

  it('resolved: the headline says so; no buttons; the thread reply says back to OK', () => {
    const resolved = { ...alert, resolved: { at: '2026-11-26T14:05:00.000Z', reason: 'Errors was 0.' } };
    expect(renderAlert(resolved).text).toMatch(/^Resolved: orders-errors/);
    expect(buttons(renderAlert(resolved))).toEqual([]);
    const notes = [{ seq: 1, kind: 'resolved' as const, ...resolved.resolved }];
    expect(text(renderThread(resolved, notes))).toContain('`orders-errors` is back to OK');
    expect(text(renderNotice({ kind: 'alarm-thread', alert: resolved, notes }))).toContain('Errors was 0.');
  });

  it('no rollback to offer: no button, and why; an alias the bot chose is explained', () => {
    const m = renderAlert({
      ...alert,
      firstSight: true,
      context: {
        ...alert.context,
        chosen: 'the alarm names no alias; this is prod',
        rollback: { unavailable: 'no history' },
      },
    });
    expect(buttons(m).map((b) => b.action_id)).toEqual(['alarm.ack']);
    expect(text(m)).toContain('No rollback button: no history');
    expect(text(m)).toContain('this is prod');
    expect(text(m)).toContain('already in ALARM when the bot first saw it');
  });

  it('what AWS or users wrote cannot ping anyone or forge links', () => {
    const m = renderAlert({ ...alert, reason: '<!channel> <https://evil|click>' });
    expect(text(m)).not.toContain('<!channel>');
    expect(text(m)).toContain('&lt;!channel&gt;');
  });
});

describe('alarm states', () => {
  const states = {
    lines: [
      {
        name: 'orders-errors',
        kind: 'metric' as const,
        state: 'ALARM' as const,
        since: '2026-11-26T14:00:00.000Z',
        reason: 'Errors was 25',
        alias: 'prod',
      },
      {
        name: 'orders-p99',
        kind: 'metric' as const,
        state: 'OK' as const,
        since: '2026-11-26T13:00:00.000Z',
        reason: 'fine',
      },
    ],
    missing: ['orders-gone'],
  };

  it('alarms FN lists each alarm with its state, the reason of those not OK, and the missing ones', () => {
    const all = text(renderAlarms({ kind: 'alarms', fn: 'orders-api', watched: true, states }));
    expect(all).toContain('1 in ALARM · 1 OK');
    expect(all).toContain(':red_circle: `orders-errors` (prod) *ALARM*');
    expect(all).toContain('Errors was 25');
    expect(all).not.toContain('fine');
    expect(all).toContain('`orders-gone`');
  });

  it('a function outside the policy, and CloudWatch not answering, are said plainly', () => {
    expect(
      text(renderAlarms({ kind: 'alarms', fn: 'x', watched: false, states: { lines: [], missing: [] } })),
    ).toContain('not in the policy file');
    expect(
      text({ text: '', blocks: alarmStateBlocks({ lines: [], missing: [], unavailable: 'Throttling' }) }),
    ).toContain('CloudWatch did not answer');
  });
});
