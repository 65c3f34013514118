import { describe, expect, it } from 'vitest';
import { CAPS, renderHome } from '../../../src/adapters/slack/render/home.js';
import type { ApprovalRequest } from '../../../src/domain/approval.js';
import type { AuditRecord } from '../../../src/domain/audit.js';
import type { BreakGlass } from '../../../src/domain/breakglass.js';
import type { FleetAlias, FlightItem, HomeFacts } from '../../../src/domain/home.js';
import type { Rollout } from '../../../src/domain/rollout.js';
import type { Where } from '../../../src/domain/target.js';

const at = '2026-11-26T12:00:00.000Z';
const own: Where = { account: 'own', accountId: '123456789012', region: 'us-east-1', home: true };
const long = (n: number) => 'x'.repeat(n);

function request(i: number, extra: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: `a${String(i).padStart(16, 'b')}`,
    fn: `fn-${i}`,
    alias: 'prod',
    change: { kind: 'routing', action: 'promote', to: { primary: '4' }, version: '4' },
    requester: 'U0ALICE',
    request: `r${i}`,
    requestChannel: 'C0DEPLOY',
    bound: { routing: { primary: '3' }, revisionId: 'rev', arn: 'arn' },
    version: { description: 'release 4', codeSha256: 'abc' },
    requiredApprovals: 1,
    approverRoles: ['approvers'],
    createdAt: at,
    expiresAt: '2026-11-26T12:30:00.000Z',
    status: 'pending',
    approvals: [],
    channel: 'C0APPROVALS',
    message: { channel: 'C0APPROVALS', ts: '1.1' },
    revision: 1,
    ...extra,
  };
}

function rollout(i: number): Rollout {
  return {
    id: `o${String(i).padStart(16, 'c')}`,
    plan: {
      fn: `fn-${i}`,
      alias: 'staging',
      baseline: '3',
      canary: '4',
      schedule: { steps: [10, 50, 100], everyMs: 300_000 },
      bakeMs: 0,
      alarms: ['fn-errors'],
    },
    state: { phase: 'shifting', step: 0, nextAt: '2026-11-26T12:05:00.000Z' },
    startedBy: 'U0ALICE',
    request: `r${i}`,
    createdAt: at,
    applied: [{ step: 0, percent: 10, at }],
    channel: 'C0DEPLOY',
    revision: 3,
  };
}

function glass(i: number): BreakGlass {
  return {
    id: `b${String(i).padStart(16, 'd')}`,
    fn: `fn-${i}`,
    alias: 'prod',
    action: 'promote',
    change: 'promote to v5',
    actor: 'U0ONCALL',
    reason: long(600),
    bypassed: [],
    request: `r${i}`,
    at,
    reviewDueAt: '2026-11-27T12:00:00.000Z',
    reminders: 0,
    messages: [],
    revision: 2,
  };
}

function alias(i: number, extra: Partial<FleetAlias> = {}): FleetAlias {
  return {
    fn: `fn-${String(i).padStart(4, '0')}`,
    alias: 'prod',
    where: i % 3 === 0 ? own : { account: `acct${i % 3}`, region: 'eu-west-1', home: false },
    protected: i % 2 === 0,
    routing: { primary: '7', additional: { version: '8', weight: 0.1 } },
    alarm: 'OK',
    alarming: [],
    inFlight: false,
    ...extra,
  };
}

function record(i: number): AuditRecord {
  return {
    id: String(i),
    at,
    actor: 'U0ALICE',
    action: 'promote',
    function: 'payments-api',
    alias: 'prod',
    from: { version: '3', weights: { '3': 1 } },
    to: { version: '4', weights: { '4': 1 } },
    result: 'ok',
    detail: long(400),
    request: 'r',
    prev: '0',
    hash: '0',
  };
}

function facts(extra: Partial<HomeFacts> = {}): HomeFacts {
  return {
    user: 'U0BOB',
    at,
    toDecide: [],
    mine: [],
    toReview: [],
    inFlight: [],
    fleet: [],
    changes: [],
    problems: [],
    ...extra,
  };
}

const flying = (i: number, control = true): FlightItem => ({
  rollout: rollout(i),
  alarms: [{ name: 'fn-errors', state: 'OK' }],
  mayControl: control,
});

type AnyBlock = Record<string, unknown> & { type: string };

/** Every Slack limit a Home view must keep (api.slack.com/reference/block-kit/blocks). */
function checkLimits(blocks: AnyBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(100);
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  expect(new Set(ids).size).toBe(ids.length);
  for (const b of blocks) {
    const text = (b.text as { text?: string } | undefined)?.text ?? '';
    if (b.type === 'header') expect(text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') expect(text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'context') {
      const elements = b.elements as { text: string }[];
      expect(elements.length).toBeLessThanOrEqual(10);
      for (const e of elements) expect(e.text.length).toBeLessThanOrEqual(3000);
    }
    if (b.type === 'actions') {
      const elements = b.elements as { text: { text: string }; value: string; action_id: string }[];
      expect(elements.length).toBeLessThanOrEqual(25);
      for (const e of elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect(e.value.length).toBeLessThanOrEqual(2000);
        expect(e.action_id.length).toBeLessThanOrEqual(255);
      }
    }
  }
}

const headers = (blocks: AnyBlock[]) =>
  blocks.filter((b) => b.type === 'header').map((b) => (b.text as { text: string }).text);
const actionsOf = (blocks: AnyBlock[]) =>
  blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as { action_id: string; value: string }[]).map((e) => `${e.action_id}=${e.value}`));

describe('renderHome', () => {
  it('has the four sections, in order, for an empty world', () => {
    const view = renderHome(facts());
    expect(view.type).toBe('home');
    expect(headers(view.blocks as AnyBlock[])).toEqual([
      'Lambda release console',
      'Waiting for you',
      'In flight',
      'Fleet',
      'Last changes',
    ]);
    expect(JSON.stringify(view)).toContain('Nothing waits for you.');
  });

  it('a request to decide has the same buttons and values as its message in the channel', () => {
    const r = request(1);
    const blocks = renderHome(facts({ toDecide: [r] })).blocks as AnyBlock[];
    expect(actionsOf(blocks)).toEqual([`approval.approve=${r.id}`, `approval.reject=${r.id}`]);
    const text = JSON.stringify(blocks);
    expect(text).toContain('<@U0ALICE> asks to *promote* *fn-1:prod* to v4');
    expect(text).toContain('"confirm"');
  });

  it('a rollout in flight: step, weights, next step, alarms, and pause/abort', () => {
    const blocks = renderHome(facts({ inFlight: [flying(1)] })).blocks as AnyBlock[];
    const text = JSON.stringify(blocks);
    expect(text).toContain('step 1 of 3 (10%)');
    expect(text).toContain(`<!date^${Date.parse('2026-11-26T12:05:00.000Z') / 1000}^`);
    expect(text).toContain('90% v3');
    expect(text).toContain('fn-errors OK');
    const id = rollout(1).id;
    expect(actionsOf(blocks)).toEqual([`rollout.pause=${id}`, `rollout.abort=${id}`]);
  });

  it('someone with no role sees what anyone may read and no button', () => {
    const view = renderHome(
      facts({ inFlight: [flying(1, false)], fleet: [alias(1)], changes: [record(1)], mine: [request(2)] }),
    );
    expect(actionsOf(view.blocks as AnyBlock[])).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain('fn-0001:prod');
    expect(text).toContain('Rollout of');
    expect(text).toContain('#1 ');
  });

  it('a fleet alias shows its traffic, alarm, freeze, outside change and soak clock', () => {
    const a = alias(3, {
      alarm: 'ALARM',
      alarming: ['fn-p99'],
      frozen: { fn: 'fn-0003', reason: 'quarter end', by: 'U0ALICE', at },
      outsideSince: at,
      soak: 'served staging 100% for 12 of 30 min',
      inFlight: true,
    });
    const text = JSON.stringify(renderHome(facts({ fleet: [a] })));
    for (const part of ['90% v7', 'ALARM*: fn-p99', 'frozen: quarter end', 'changed outside the bot', '12 of 30 min']) {
      expect(text).toContain(part);
    }
    expect(text).toContain("the bot's own account (123456789012), us-east-1");
  });

  it('never more than 100 blocks, and every text within its limit, however much there is', () => {
    const view = renderHome(
      facts({
        notice: long(5000),
        problems: Array.from({ length: 30 }, (_, i) => `problem ${i} ${long(3000)}`),
        toDecide: Array.from({ length: 40 }, (_, i) =>
          request(i, {
            change: { kind: 'rollout', action: 'canary', rollout: 'o1', summary: long(4000), version: '4' },
          }),
        ),
        toReview: Array.from({ length: 20 }, (_, i) => glass(i)),
        mine: Array.from({ length: 40 }, (_, i) => request(100 + i)),
        inFlight: Array.from({ length: 30 }, (_, i) => flying(i)),
        fleet: Array.from({ length: 1000 }, (_, i) =>
          alias(i, { alarming: [long(500)], alarm: i % 50 === 0 ? 'ALARM' : 'OK', soak: long(400) }),
        ),
        changes: Array.from({ length: 10 }, (_, i) => record(i)),
      }),
    );
    const blocks = view.blocks as AnyBlock[];
    checkLimits(blocks);
    const text = JSON.stringify(view);
    expect(text).toContain(`…and ${40 - CAPS.decide} more approval requests`);
    expect(text).toContain(`…and ${30 - CAPS.flights} more rollouts`);
    expect(text).toMatch(/…and \d+ more aliases, less eventful: `\/lambda status fn-\d+`/);
    expect(headers(blocks)).toContain('Last changes');
  });

  it('too many aliases: the alarming ones first, then a line counting the rest', () => {
    const fleet = Array.from({ length: 300 }, (_, i) => alias(i, i === 250 ? { alarm: 'ALARM', alarming: ['x'] } : {}));
    const blocks = renderHome(facts({ fleet })).blocks as AnyBlock[];
    checkLimits(blocks);
    const sections = blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text);
    expect(sections[0]).toContain('fn-0250:prod');
    const shown = sections.filter((t) => t.includes(':prod*')).length;
    const more = JSON.stringify(blocks).match(/…and (\d+) more aliases/);
    expect(shown + Number(more?.[1])).toBe(300);
  });

  it('the last changes in words, whole lines only', () => {
    const blocks = renderHome(facts({ changes: Array.from({ length: 10 }, (_, i) => record(10 - i)) }))
      .blocks as AnyBlock[];
    const last = ((blocks.at(-1) as AnyBlock).text as { text: string }).text;
    expect(last.split('\n')[0]).toMatch(
      /^#10 <!date\^\d+\^.*> <@U0ALICE> \*promote\* payments-api:prod _ok_ 100% v3 → 100% v4/,
    );
    expect(last.length).toBeLessThanOrEqual(3000);
    // Ten long records do not fit in one section: as many whole lines as fit, each complete.
    const lines = last.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThan(10);
    for (const line of lines) expect(line).toMatch(/^#\d+ .* _ok_ 100% v3 → 100% v4 — x+ …$/);
  });

  it('the answer to a click on Home is shown at the top', () => {
    const blocks = renderHome(facts({ notice: 'You approved: the change is applied.' })).blocks as AnyBlock[];
    expect(JSON.stringify(blocks[2])).toContain('You approved: the change is applied.');
  });
});
