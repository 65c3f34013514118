/**
 * Who may do what (CONTRACT §4), decided purely from the policy file, the actor's roles and the
 * freezes in force. The same decision runs for every slash command and every click.
 */
import type { Bypass } from './breakglass.js';
import type { Policy } from './policy-model.js';

export type PolicyAction =
  | 'read'
  | 'publish'
  | 'promote'
  | 'shift'
  | 'canary'
  | 'pause'
  | 'resume'
  | 'abort'
  | 'rollback'
  | 'freeze'
  | 'unfreeze'
  | 'approve'
  /** Acknowledge an alarm alert: the people who may roll back are the ones on call for it. */
  | 'acknowledge'
  /** Take a change made outside the bot as the known state (CONTRACT §10). */
  | 'accept';

export interface Subject {
  readonly fn: string;
  readonly alias?: string;
}

export interface Freeze {
  readonly fn: string;
  /** Absent: the whole function is frozen. */
  readonly alias?: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export type Decision =
  | { readonly effect: 'allow' }
  | { readonly effect: 'needs-approval'; readonly approvals: number; readonly approvers: readonly string[] }
  /** Break-glass by someone in the role: made at once, past what `bypassed` lists (gates are the service's). */
  | { readonly effect: 'break-glass'; readonly bypassed: readonly Bypass[] }
  | {
      readonly effect: 'deny';
      readonly reason: string;
      readonly freeze?: Freeze;
      /** The principals who may do it (the break-glass role's members), for "who may". */
      readonly mayBy?: readonly string[];
    };

/** The actions break-glass may end (CONTRACT §11). */
export type BreakGlassAction = 'promote' | 'shift' | 'canary' | 'rollback';

/** Actions that move traffic forward: they need approval on protected aliases and stop at a freeze. */
const GATED = new Set<PolicyAction>(['promote', 'shift', 'canary', 'resume']);
/**
 * Actions that only reduce risk (hold a rollout, send traffic back) stay direct on protected
 * aliases: needing a second person to stop a bad rollout would make production less safe.
 */
const DIRECT = new Set<PolicyAction>(['pause', 'abort']);

/**
 * The roles a user holds: roles listing the user's ID, or a user group the user belongs to.
 * @example rolesOf(policy, 'U0ALICE', new Set(['S0DEPLOY'])) → Set { 'deployers' }
 */
export function rolesOf(policy: Policy, user: string, groups: ReadonlySet<string>): Set<string> {
  const roles = new Set<string>();
  for (const [role, principals] of policy.roles) {
    if (principals.some((p) => p === user || groups.has(p))) roles.add(role);
  }
  return roles;
}

/** Every user group the policy names: only these need looking up in Slack. */
export function groupsNamed(policy: Policy): string[] {
  return [...new Set([...policy.roles.values()].flat().filter((p) => p.startsWith('S')))];
}

/**
 * Decides whether `roles` may do `action` to `target` now.
 * @example decide(policy, new Set(['deployers']), 'promote', { fn: 'payments-api', alias: 'prod' }, [])
 *   → { effect: 'needs-approval', approvals: 1, approvers: ['approvers'] }
 */
export function decide(
  policy: Policy,
  roles: ReadonlySet<string>,
  action: PolicyAction,
  target: Subject,
  freezes: readonly Freeze[],
): Decision {
  if (action === 'read') return { effect: 'allow' };
  const unknown = notInPolicy(policy, target);
  if (unknown) return unknown;
  const alias = target.alias === undefined ? undefined : policy.functions.get(target.fn)?.aliases.get(target.alias);

  if (action === 'approve') {
    if (!alias) return deny('approvals are for aliases');
    return alias.approvers.some((r) => roles.has(r))
      ? { effect: 'allow' }
      : deny(`only ${list(alias.approvers)} may approve changes to ${target.fn}:${target.alias}`);
  }
  if (action === 'rollback' || action === 'acknowledge') {
    return roles.has('deployers') || roles.has('responders')
      ? { effect: 'allow' }
      : deny(`only deployers and responders may ${action === 'rollback' ? 'roll back' : 'acknowledge alerts'}`);
  }
  if (!roles.has('deployers')) {
    return deny(
      action === 'accept' ? 'only deployers may accept a change made outside the bot' : `only deployers may ${action}`,
    );
  }
  if (!GATED.has(action)) return { effect: 'allow' };

  const freeze = freezeOn(freezes, target);
  if (freeze) {
    const where = freeze.alias === undefined ? freeze.fn : `${freeze.fn}:${freeze.alias}`;
    return { effect: 'deny', reason: `${where} is frozen: ${freeze.reason}`, freeze };
  }
  if (alias?.protected && !DIRECT.has(action)) {
    return { effect: 'needs-approval', approvals: alias.requiredApprovals, approvers: alias.approvers };
  }
  return { effect: 'allow' };
}

/**
 * Break-glass: someone in the `breakglass` role makes the change at once, past the approval and
 * the freeze it would have met. Never past the policy's list of functions: a function the bot does
 * not manage stays out of reach, glass or not.
 * @example decideBreakGlass(policy, new Set(['breakglass']), 'promote', { fn: 'payments-api', alias: 'prod' }, [])
 *   → { effect: 'break-glass', bypassed: [{ kind: 'approval', approvals: 1, approvers: ['approvers'] }] }
 */
export function decideBreakGlass(
  policy: Policy,
  roles: ReadonlySet<string>,
  action: BreakGlassAction,
  target: Subject,
  freezes: readonly Freeze[],
): Decision {
  const unknown = notInPolicy(policy, target);
  if (unknown) return unknown;
  if (!roles.has('breakglass')) {
    return {
      effect: 'deny',
      reason: 'only the breakglass role may break the glass',
      mayBy: policy.roles.get('breakglass') ?? [],
    };
  }
  const bypassed: Bypass[] = [];
  if (action !== 'rollback') {
    const freeze = freezeOn(freezes, target);
    if (freeze) {
      const where = freeze.alias === undefined ? freeze.fn : `${freeze.fn}:${freeze.alias}`;
      bypassed.push({ kind: 'freeze', where, reason: freeze.reason });
    }
    const alias = target.alias === undefined ? undefined : policy.functions.get(target.fn)?.aliases.get(target.alias);
    if (alias?.protected) {
      bypassed.push({ kind: 'approval', approvals: alias.requiredApprovals, approvers: alias.approvers });
    }
  }
  return { effect: 'break-glass', bypassed };
}

function notInPolicy(policy: Policy, target: Subject): Decision | undefined {
  const fn = policy.functions.get(target.fn);
  if (!fn) return deny(`${target.fn} is not in the policy file, so the bot changes nothing on it`);
  if (target.alias !== undefined && !fn.aliases.get(target.alias)) {
    return deny(`${target.fn}:${target.alias} is not in the policy file, so the bot changes nothing on it`);
  }
  return undefined;
}

function freezeOn(freezes: readonly Freeze[], target: Subject): Freeze | undefined {
  return freezes.find((f) => f.fn === target.fn && (f.alias === undefined || f.alias === target.alias));
}

function deny(reason: string): Decision {
  return { effect: 'deny', reason };
}

function list(roles: readonly string[]): string {
  return roles.length === 1 ? (roles[0] as string) : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
}
