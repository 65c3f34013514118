import type { AuditAction } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import {
  type BreakGlassAction,
  type Decision,
  decide,
  decideBreakGlass,
  type Freeze,
  groupsNamed,
  type PolicyAction,
  rolesOf,
  type Subject,
} from '../domain/policy.js';
import type { Policy } from '../domain/policy-model.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, Directory } from '../ports.js';

export interface Who {
  readonly actor: string;
  readonly request: string;
  /** Where the person asked, when it matters (an approved change is announced there). */
  readonly channel?: string;
}

/** Freezes in force for a function; empty where freezes are not configured. */
export type FreezeSource = (fn: string) => Promise<readonly Freeze[]>;

/**
 * The policy check every command and click goes through. Roles come from the policy file and
 * Slack user groups; a denial is audited and thrown as `not-permitted` with the reason.
 */
export class PolicyGate {
  constructor(
    private readonly policy: Policy,
    private readonly directory: Directory,
    private readonly audit: AuditLog,
    private readonly freezes: FreezeSource,
  ) {}

  /**
   * Resolves with an allow or needs-approval decision; rejects (after auditing) on deny. `place`, the
   * function's target, puts its account and region on the denial's record.
   */
  async check(
    who: Who,
    action: PolicyAction,
    target: Subject,
    auditAction: AuditAction,
    place?: Target,
    options: { readonly breakGlass?: boolean } = {},
  ): Promise<Decision> {
    if (action === 'read') return { effect: 'allow' };
    const freezes = await this.freezes(target.fn);
    const glass = options.breakGlass ? breakGlassAction(action) : undefined;
    const judge = (roles: ReadonlySet<string>) =>
      glass
        ? decideBreakGlass(this.policy, roles, glass, target, freezes)
        : decide(this.policy, roles, action, target, freezes);
    // Roles granted by user ID decide most requests; only a refusal is worth asking Slack about
    // user groups, so that the common path never waits on Slack.
    let decision = judge(rolesOf(this.policy, who.actor, new Set()));
    const groups = groupsNamed(this.policy);
    if (decision.effect === 'deny' && groups.length > 0) {
      decision = judge(rolesOf(this.policy, who.actor, await this.directory.groupsOf(who.actor, groups)));
    }
    if (decision.effect !== 'deny') return decision;
    await this.audit.append({
      actor: who.actor,
      action: auditAction,
      function: target.fn,
      alias: target.alias ?? null,
      from: null,
      to: null,
      result: 'denied',
      detail: glass ? `break-glass refused: ${decision.reason}` : decision.reason,
      request: who.request,
      ...(place ? recordedPlace(place) : {}),
    });
    throw new BotError('not-permitted', decision.reason, {
      details: {
        ...(decision.freeze ? { freeze: decision.freeze } : {}),
        ...(decision.mayBy ? { mayBy: decision.mayBy } : {}),
      },
    });
  }
}

function breakGlassAction(action: PolicyAction): BreakGlassAction | undefined {
  return action === 'promote' || action === 'shift' || action === 'canary' || action === 'rollback'
    ? action
    : undefined;
}
