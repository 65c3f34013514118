import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/domain/approval.js';
import type { BreakGlass } from '../../../src/domain/breakglass.js';
import {
  type FleetAlias,
  mayControl,
  mayDecide,
  mayReview,
  rankFleet,
  selectFleet,
  worstAlarm,
} from '../../../src/domain/home.js';
import type { Rollout } from '../../../src/domain/rollout.js';
import type { Where } from '../../../src/domain/target.js';
import { testPolicy } from '../../fakes/kit.js';

const policy = testPolicy();
const now = new Date('2026-11-26T12:00:00.000Z');
const at = now.toISOString();
const own: Where = { account: 'own', region: 'us-east-1', home: true };
const prod: Where = { account: 'prod', accountId: '222222222222', region: 'eu-west-1', home: false };

function alias(name: string, extra: Partial<FleetAlias> = {}): FleetAlias {
  const [fn, a] = name.split(':') as [string, string];
  return {
    fn,
    alias: a,
    where: own,
    protected: false,
    routing: { primary: '1' },
    alarm: 'OK',
    alarming: [],
    inFlight: false,
    ...extra,
  };
}

const request = {
  id: 'aaaaaaaaaaaaaaaaa',
  fn: 'payments-api',
  alias: 'prod',
  requester: 'U0ALICE',
  status: 'pending',
  approvals: [],
  requiredApprovals: 1,
  expiresAt: '2026-11-26T12:30:00.000Z',
} as unknown as ApprovalRequest;

describe('who may press what on Home', () => {
  const approver = new Set(['approvers']);
  it('an approver other than the requester may decide a pending request before it expires', () => {
    expect(mayDecide(policy, request, 'U0BOB', approver, at)).toBe(true);
    expect(mayDecide(policy, request, 'U0ALICE', new Set(['approvers', 'deployers']), at)).toBe(false);
    expect(mayDecide(policy, request, 'U0BOB', new Set(['deployers']), at)).toBe(false);
    expect(mayDecide(policy, request, 'U0BOB', new Set(), at)).toBe(false);
    expect(mayDecide(policy, request, 'U0BOB', approver, '2026-11-26T12:30:00.000Z')).toBe(false);
    expect(mayDecide(policy, { ...request, status: 'approved' }, 'U0BOB', approver, at)).toBe(false);
    const approved = { ...request, requiredApprovals: 2, approvals: [{ by: 'U0BOB', at }] };
    expect(mayDecide(policy, approved, 'U0BOB', approver, at)).toBe(false);
    expect(mayDecide(policy, approved, 'U0CAROL', approver, at)).toBe(true);
    // An alias the policy no longer has: nobody decides from Home.
    expect(mayDecide(policy, { ...request, alias: 'gone' }, 'U0BOB', approver, at)).toBe(false);
  });

  it('a break-glass change is reviewed by an approver other than the one who broke the glass', () => {
    const glass = { fn: 'payments-api', alias: 'prod', actor: 'U0ONCALL' } as BreakGlass;
    expect(mayReview(policy, glass, 'U0BOB', approver)).toBe(true);
    expect(mayReview(policy, glass, 'U0ONCALL', approver)).toBe(false);
    expect(mayReview(policy, glass, 'U0ALICE', new Set(['deployers']))).toBe(false);
    expect(mayReview(policy, { ...glass, review: { by: 'U0CAROL', at } }, 'U0BOB', approver)).toBe(false);
  });

  it('pause and abort are for deployers, on protected aliases too', () => {
    const rollout = { plan: { fn: 'payments-api', alias: 'prod' } } as Rollout;
    expect(mayControl(policy, rollout, new Set(['deployers']))).toBe(true);
    expect(mayControl(policy, rollout, new Set(['approvers']))).toBe(false);
    expect(mayControl(policy, rollout, new Set())).toBe(false);
  });
});

describe('rankFleet', () => {
  it('alarming, then in flight, then changed outside the bot, then recently changed (newest first), frozen, the rest', () => {
    const ranked = rankFleet(
      [
        alias('a:quiet'),
        alias('b:frozen', { frozen: { fn: 'b', reason: 'x', by: 'U1', at } }),
        alias('c:old-change', { lastChangeAt: '2026-11-20T12:00:00.000Z' }),
        alias('d:recent', { lastChangeAt: '2026-11-26T11:00:00.000Z' }),
        alias('e:newer', { lastChangeAt: '2026-11-26T11:30:00.000Z' }),
        alias('f:outside', { outsideSince: at }),
        alias('g:flying', { inFlight: true }),
        alias('h:alarm', { alarm: 'ALARM', alarming: ['h-errors'] }),
      ],
      now,
    );
    expect(ranked.map((a) => a.alias)).toEqual([
      'alarm',
      'flying',
      'outside',
      'newer',
      'recent',
      'frozen',
      // A change older than a day is no longer news: by name among the quiet ones.
      'quiet',
      'old-change',
    ]);
  });

  it('ties are broken by name, so the view is the same every time', () => {
    const names = ['z:prod', 'a:prod', 'm:staging', 'm:prod'];
    expect(
      rankFleet(
        names.map((n) => alias(n)),
        now,
      ).map((a) => `${a.fn}:${a.alias}`),
    ).toEqual(['a:prod', 'm:prod', 'm:staging', 'z:prod']);
  });
});

describe('selectFleet', () => {
  it('keeps the most relevant, groups them by account and region, and counts the rest by function', () => {
    const aliases = [
      alias('quiet-1:prod'),
      alias('quiet-2:prod'),
      alias('remote:prod', { where: prod, alarm: 'ALARM', alarming: ['x'] }),
      alias('local:prod', { inFlight: true }),
      alias('remote:staging', { where: prod }),
    ];
    const s = selectFleet(aliases, 3, now);
    expect(s.groups.map((g) => g.where.account)).toEqual(['prod', 'own']);
    expect(s.groups.map((g) => g.aliases.map((a) => `${a.fn}:${a.alias}`))).toEqual([
      ['remote:prod'],
      ['local:prod', 'quiet-1:prod'],
    ]);
    expect(s.hidden).toBe(2);
    expect(s.hiddenFunctions).toEqual(['quiet-2', 'remote']);
  });

  it('everything fits: nothing hidden; a limit of 0: everything hidden', () => {
    expect(selectFleet([alias('a:prod')], 5, now)).toMatchObject({ hidden: 0, hiddenFunctions: [] });
    expect(selectFleet([alias('a:prod')], 0, now)).toMatchObject({ groups: [], hidden: 1 });
  });
});

describe('worstAlarm', () => {
  it('ALARM over INSUFFICIENT_DATA over OK; none without alarms', () => {
    expect(worstAlarm(['OK', 'ALARM', 'INSUFFICIENT_DATA'])).toBe('ALARM');
    expect(worstAlarm(['OK', 'INSUFFICIENT_DATA'])).toBe('INSUFFICIENT_DATA');
    expect(worstAlarm(['OK'])).toBe('OK');
    expect(worstAlarm([])).toBe('none');
  });
});
