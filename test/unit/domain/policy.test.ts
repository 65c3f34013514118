import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import {
  decide,
  decideBreakGlass,
  type Freeze,
  groupsNamed,
  type PolicyAction,
  rolesOf,
} from '../../../src/domain/policy.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { TEST_POLICY } from '../../support/policy.js';

const parsed = parsePolicy(TEST_POLICY);
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const policy: Policy = parsed.policy;

const deployer = new Set(['deployers']);
const approver = new Set(['approvers']);
const responder = new Set(['responders']);
const nobody = new Set<string>();
const prod = { fn: 'payments-api', alias: 'prod' };
const staging = { fn: 'payments-api', alias: 'staging' };

describe('rolesOf', () => {
  it('finds roles by user ID and by user group', () => {
    expect(rolesOf(policy, 'U0BOB', new Set())).toEqual(new Set(['deployers', 'approvers']));
    expect(rolesOf(policy, 'U0DAVE', new Set(['S0DEPLOY']))).toEqual(new Set(['deployers']));
    expect(rolesOf(policy, 'U0DAVE', new Set())).toEqual(new Set());
  });

  it('lists the groups worth looking up', () => {
    expect(groupsNamed(policy)).toEqual(['S0DEPLOY']);
  });
});

describe('decide', () => {
  const table: [string, ReadonlySet<string>, PolicyAction, { fn: string; alias?: string }, string][] = [
    ['anyone reads', nobody, 'read', prod, 'allow'],
    ['anyone reads unknown functions', nobody, 'read', { fn: 'unknown' }, 'allow'],
    ['deployers publish', deployer, 'publish', { fn: 'payments-api' }, 'allow'],
    ['approvers alone do not publish', approver, 'publish', { fn: 'payments-api' }, 'deny'],
    ['deployers promote unprotected aliases', deployer, 'promote', staging, 'allow'],
    ['deployers shift unprotected aliases', deployer, 'shift', staging, 'allow'],
    ['deployers canary unprotected aliases', deployer, 'canary', staging, 'allow'],
    ['promote on a protected alias needs approval', deployer, 'promote', prod, 'needs-approval'],
    ['shift on a protected alias needs approval', deployer, 'shift', prod, 'needs-approval'],
    ['canary on a protected alias needs approval', deployer, 'canary', prod, 'needs-approval'],
    ['resume on a protected alias needs approval', deployer, 'resume', prod, 'needs-approval'],
    ['pause stays direct on a protected alias', deployer, 'pause', prod, 'allow'],
    ['abort stays direct on a protected alias', deployer, 'abort', prod, 'allow'],
    ['deployers roll back protected aliases directly', deployer, 'rollback', prod, 'allow'],
    ['responders roll back', responder, 'rollback', prod, 'allow'],
    ['responders do nothing else', responder, 'promote', staging, 'deny'],
    ['responders do not abort', responder, 'abort', staging, 'deny'],
    ['nobody rolls back without a role', nobody, 'rollback', prod, 'deny'],
    ['approvers approve', approver, 'approve', prod, 'allow'],
    ['deployers who are not approvers do not approve', deployer, 'approve', prod, 'deny'],
    ['deployers freeze', deployer, 'freeze', prod, 'allow'],
    ['responders do not freeze', responder, 'freeze', prod, 'deny'],
    ['a function missing from the file is refused', deployer, 'publish', { fn: 'unknown' }, 'deny'],
    ['an alias missing from the file is refused', deployer, 'promote', { fn: 'payments-api', alias: 'dev' }, 'deny'],
    [
      'even rollback of an unknown alias is refused',
      deployer,
      'rollback',
      { fn: 'payments-api', alias: 'dev' },
      'deny',
    ],
  ];

  it.each(table)('%s', (_, roles, action, target, effect) => {
    expect(decide(policy, roles, action, target, []).effect).toBe(effect);
  });

  it('needs-approval carries the count and approver roles', () => {
    expect(decide(policy, deployer, 'promote', prod, [])).toEqual({
      effect: 'needs-approval',
      approvals: 1,
      approvers: ['approvers'],
    });
  });

  it('a deny says why', () => {
    expect(decide(policy, nobody, 'promote', staging, [])).toEqual({
      effect: 'deny',
      reason: 'only deployers may promote',
    });
    expect(decide(policy, deployer, 'publish', { fn: 'unknown' }, [])).toMatchObject({
      reason: expect.stringMatching(/not in the policy file/),
    });
  });

  describe('freezes', () => {
    const fnFreeze: Freeze = { fn: 'payments-api', reason: 'release train', by: 'U0CAROL', at: '2026-11-26T12:00:00Z' };
    const aliasFreeze: Freeze = { ...fnFreeze, alias: 'staging' };

    it.each(['promote', 'shift', 'canary', 'resume'] as const)('a function freeze stops %s', (action) => {
      expect(decide(policy, deployer, action, staging, [fnFreeze])).toMatchObject({ effect: 'deny', freeze: fnFreeze });
    });

    it('an alias freeze stops only that alias', () => {
      expect(decide(policy, deployer, 'promote', staging, [aliasFreeze]).effect).toBe('deny');
      expect(decide(policy, deployer, 'promote', prod, [aliasFreeze]).effect).toBe('needs-approval');
    });

    it.each(['rollback', 'pause', 'abort', 'publish'] as const)('a freeze never stops %s', (action) => {
      const target = action === 'publish' ? { fn: 'payments-api' } : staging;
      expect(decide(policy, deployer, action, target, [fnFreeze]).effect).toBe('allow');
    });

    it('a freeze is checked before approval: a frozen protected alias refuses at once', () => {
      expect(decide(policy, deployer, 'promote', prod, [fnFreeze]).effect).toBe('deny');
    });
  });
});

describe('decideBreakGlass (CONTRACT §11)', () => {
  const withRole = parsePolicy(TEST_POLICY.replace('roles:\n', 'roles:\n  breakglass: [U0ONCALL, S0SRE]\n'));
  if (!withRole.ok) throw new Error(withRole.problems.join('\n'));
  const glassPolicy = withRole.policy;
  const glass = new Set(['breakglass']);
  const fnFreeze: Freeze = { fn: 'payments-api', reason: 'release train', by: 'U0CAROL', at: '2026-12-05T09:00:00Z' };
  const approval = { kind: 'approval', approvals: 1, approvers: ['approvers'] };

  it('the role is found by user ID and by user group', () => {
    expect(rolesOf(glassPolicy, 'U0ONCALL', new Set())).toEqual(new Set(['responders', 'breakglass']));
    expect(rolesOf(glassPolicy, 'U0DAVE', new Set(['S0SRE']))).toEqual(glass);
  });

  it('someone not in the role is refused, told who may', () => {
    expect(decideBreakGlass(glassPolicy, deployer, 'promote', prod, [])).toEqual({
      effect: 'deny',
      reason: 'only the breakglass role may break the glass',
      mayBy: ['U0ONCALL', 'S0SRE'],
    });
  });

  it('with no breakglass role in the policy, nobody may, and the list is empty', () => {
    const oncall = rolesOf(policy, 'U0ONCALL', new Set());
    expect(oncall.has('breakglass')).toBe(false);
    expect(decideBreakGlass(policy, oncall, 'promote', prod, [])).toMatchObject({ effect: 'deny', mayBy: [] });
    expect(decideBreakGlass(policy, deployer, 'rollback', prod, [])).toMatchObject({ effect: 'deny', mayBy: [] });
  });

  it.each([
    ['function', { fn: 'unknown', alias: 'prod' }],
    ['alias', { fn: 'payments-api', alias: 'dev' }],
  ])('an unknown %s is refused, glass or not', (_, target) => {
    const decision = decideBreakGlass(glassPolicy, glass, 'promote', target, []);
    expect(decision).toEqual({ effect: 'deny', reason: expect.stringMatching(/not in the policy file/) });
  });

  it.each(['promote', 'shift', 'canary'] as const)('%s on a protected alias bypasses its approval', (action) => {
    expect(decideBreakGlass(glassPolicy, glass, action, prod, [])).toEqual({
      effect: 'break-glass',
      bypassed: [approval],
    });
  });

  it('on an unprotected alias, unfrozen, it bypasses nothing', () => {
    expect(decideBreakGlass(glassPolicy, glass, 'promote', staging, [])).toEqual({
      effect: 'break-glass',
      bypassed: [],
    });
  });

  it('bypasses a freeze of the function or of the alias, and the approval too', () => {
    expect(decideBreakGlass(glassPolicy, glass, 'shift', staging, [fnFreeze])).toEqual({
      effect: 'break-glass',
      bypassed: [{ kind: 'freeze', where: 'payments-api', reason: 'release train' }],
    });
    const aliasFreeze = { ...fnFreeze, alias: 'prod' };
    expect(decideBreakGlass(glassPolicy, glass, 'canary', prod, [aliasFreeze])).toEqual({
      effect: 'break-glass',
      bypassed: [{ kind: 'freeze', where: 'payments-api:prod', reason: 'release train' }, approval],
    });
  });

  it('a freeze of another alias is not bypassed, since it does not apply', () => {
    const other = { ...fnFreeze, alias: 'staging' };
    expect(decideBreakGlass(glassPolicy, glass, 'promote', prod, [other])).toEqual({
      effect: 'break-glass',
      bypassed: [approval],
    });
  });

  it('rollback bypasses nothing: it needs no approval and no freeze stops it', () => {
    expect(decideBreakGlass(glassPolicy, glass, 'rollback', prod, [fnFreeze])).toEqual({
      effect: 'break-glass',
      bypassed: [],
    });
  });
});
