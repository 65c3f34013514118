/** How gates and break-glass look in Slack (CONTRACT §11): checklists, announcements, refusals, history. */
import { describe, expect, it } from 'vitest';
import { renderError } from '../../../src/adapters/slack/errors.js';
import { render } from '../../../src/adapters/slack/render/index.js';
import { renderNotice } from '../../../src/adapters/slack/render/notices.js';
import type { BreakGlass } from '../../../src/domain/breakglass.js';
import { BotError } from '../../../src/domain/errors.js';
import type { GateCheck } from '../../../src/domain/gates.js';
import type { Status } from '../../../src/domain/outcome.js';
import { sampleRequest } from '../../contract/ports/approvals.case.js';
import { sampleBreakGlass } from '../../contract/ports/breakglass.case.js';

const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;
const actionsOf = (m: { blocks: unknown[] }) =>
  m.blocks
    .filter((b) => (b as { type: string }).type === 'actions')
    .flatMap((b) => (b as { elements: { action_id: string; value: string }[] }).elements);

const checks: GateCheck[] = [
  { gate: 'soak', met: false, fact: 'served staging 100% for 12 of 30 min' },
  { gate: 'signed', met: true, fact: 'signed by Release/abcdef1234' },
  { gate: 'same-code', met: true, fact: 'same code as staging (v4, code-4)' },
];

describe('a refusal by the gates', () => {
  it('lists every gate, met or not, with its fact, and says what to do', () => {
    const error = new BotError('gates-not-met', 'payments-api:prod takes only versions that passed its gates', {
      details: { version: '4', checks },
    });
    const m = renderError(error, 'r-1');
    expect(m.response_type).toBe('ephemeral');
    expect(m.text).toContain('v4 has not. Nothing was changed.');
    expect(m.text).toContain(':x: *soak*: served staging 100% for 12 of 30 min');
    expect(m.text).toContain(':white_check_mark: *signed by*: signed by Release/abcdef1234');
    expect(m.text).toContain(':white_check_mark: *same code*: same code as staging (v4, code-4)');
    expect(m.text).toContain('--break-glass REASON…');
  });

  it('a break-glass refused to someone outside the role says who may', () => {
    const error = new BotError('not-permitted', 'only the breakglass role may break the glass', {
      details: { mayBy: ['U0ONCALL', 'S0SRE'] },
    });
    expect(renderError(error, 'r-2').text).toContain('Who may: <@U0ONCALL>, <!subteam^S0SRE>.');
    const nobody = new BotError('not-permitted', 'only the breakglass role may break the glass', {
      details: { mayBy: [] },
    });
    expect(renderError(nobody, 'r-3').text).toContain('Who may: nobody');
  });
});

describe('an approval request on an alias with gates', () => {
  it('shows the checklist; after the last approval, what changed', () => {
    const met = checks.map((c) => ({
      ...c,
      met: true,
      fact: c.gate === 'soak' ? 'served staging 100% for 30 of 30 min' : c.fact,
    }));
    const asked = renderNotice({ kind: 'approval', request: sampleRequest('a1', { gates: met }) });
    expect(text(asked)).toContain('*Gates* (checked when requested)');
    expect(text(asked)).toContain('served staging 100% for 30 of 30 min');
    const failed = renderNotice({
      kind: 'approval',
      request: sampleRequest('a1', {
        gates: met,
        gatesAtApproval: [
          { gate: 'soak', met: false, fact: 'staging serves 100% v5, not 100% v4' },
          met[1] as GateCheck,
          met[2] as GateCheck,
        ],
        status: 'failed',
        note: 'the gates are no longer met: staging serves 100% v5, not 100% v4',
      }),
    });
    expect(text(failed)).toContain(':warning: *Gates changed* since the request (soak: now not met)');
    expect(text(failed)).toContain('the gates are no longer met');
  });
});

describe('a break-glass announcement', () => {
  const record: BreakGlass = sampleBreakGlass('babcdefghjkmnpqrs', {
    bypassed: [
      { kind: 'freeze', where: 'payments-api:prod', reason: 'quarter close' },
      { kind: 'approval', approvals: 1, approvers: ['approvers'] },
      { kind: 'gates', unmet: ['served staging 100% for 12 of 30 min'] },
    ],
  });

  it('says who, what, why, what it went past, and offers the review until reviewed', () => {
    const m = renderNotice({ kind: 'breakglass', record });
    expect(m.text).toBe(
      'Break-glass: payments-api:prod — promote to v4 by U0ONCALL: checkout failing, approver asleep',
    );
    expect(text(m)).toContain(
      'freeze of payments-api:prod (quarter close), approval (1 by approvers), gates (served staging 100% for 12 of 30 min)',
    );
    expect(actionsOf(m)).toEqual([expect.objectContaining({ action_id: 'breakglass.review', value: record.id })]);
    const reviewed = renderNotice({
      kind: 'breakglass',
      record: { ...record, review: { by: 'U0BOB', at: '2026-11-26T13:00:00.000Z' } },
    });
    expect(actionsOf(reviewed)).toEqual([]);
    expect(text(reviewed)).toContain('Reviewed by <@U0BOB>');
  });

  it('a reminder names the change, the actor and when the review was due', () => {
    const m = renderNotice({ kind: 'breakglass-reminder', record: { ...record, reminders: 1 } });
    expect(m.text).toContain('Break-glass review overdue: payments-api:prod — promote to v4 by U0ONCALL');
    expect(text(m)).toContain('Reminder 1.');
  });
});

describe('reads', () => {
  const where = { account: 'own', region: 'us-east-1', home: true };

  it('history marks a break-glass change', () => {
    const record = {
      id: '7',
      at: '2026-11-26T12:00:00.000Z',
      actor: 'U0ONCALL',
      action: 'promote' as const,
      function: 'payments-api',
      alias: 'prod',
      from: { version: '3', weights: { '3': 1 } },
      to: { version: '4', weights: { '4': 1 } },
      result: 'ok' as const,
      detail: 'promote to v4; break-glass: checkout failing',
      request: 'r',
      prev: '0'.repeat(64),
      hash: '1'.repeat(64),
      breakglass: true as const,
    };
    const m = render({ kind: 'history', fn: 'payments-api', alias: 'prod', records: [record] });
    expect(text(m)).toContain(':rotating_light: *break-glass*');
  });

  it('status shows the candidate and its checklist', () => {
    const status: Status = {
      kind: 'status',
      fn: 'payments-api',
      where,
      awsName: 'payments-api',
      managed: true,
      aliases: [],
      freezes: [],
      approvals: [],
      rollouts: [],
      auditUnavailable: false,
      gates: { alias: 'prod', candidate: '4', from: 'staging', checks },
    };
    expect(text(render(status))).toContain('*Gates of prod* for candidate v4 (what staging serves): does not pass yet');
  });
});
