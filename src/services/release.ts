import { type Bypass, describeBypasses } from '../domain/breakglass.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { GateCheck } from '../domain/gates.js';
import type { AliasArg } from '../domain/grammar/values.js';
import type { AliasChanged, ApprovalRequested, Drift } from '../domain/outcome.js';
import type { Decision } from '../domain/policy.js';
import { label, shift, single, splitText } from '../domain/routing.js';
import { actingFor, type Target } from '../domain/target.js';
import type { AliasState, AuditLog } from '../ports.js';
import type { AliasChanger, ChangePlan } from './alias-change.js';
import type { ApprovalService } from './approvals.js';
import type { BreakGlassService } from './breakglass.js';
import type { PolicyGate, Who } from './gate.js';
import { aliasChanged } from './outcomes.js';
import type { PromotionGates } from './promotion-gates.js';
import { CHANGE_ACTIONS } from './snapshots.js';
import { checkSameAccount } from './targets.js';

export interface ReleaseDeps {
  readonly fleet: Fleet;
  readonly gate: PolicyGate;
  readonly changer: AliasChanger;
  readonly audit: AuditLog;
  readonly approvals: ApprovalService;
  readonly gates: PromotionGates;
  readonly breakGlass: BreakGlassService;
}

/**
 * promote, shift and rollback: policy first, then the alias's promotion gates, then one audited
 * alias change, or, on a protected alias, an approval request for exactly that change. With
 * break-glass (CONTRACT §11), the change is made at once past approvals, gates and freezes, and
 * announced for review.
 */
export class ReleaseService {
  constructor(private readonly deps: ReleaseDeps) {}

  async promote(
    who: Who,
    ref: AliasArg,
    version: string,
    breakGlass?: string,
  ): Promise<AliasChanged | ApprovalRequested> {
    const target = this.deps.fleet.resolve(ref);
    const { alias } = ref;
    const plan = (current: AliasState) => {
      checkSameAccount(ref, current.arn);
      if (current.routing.primary === version && !current.routing.additional) {
        throw new BotError('invalid-change', `${target.fn}:${alias} already sends 100% to v${version}`);
      }
      return single(version);
    };
    const change = `promote to v${version}`;
    const decision = await this.permit(who, 'promote', target, alias, breakGlass);
    const checks = await this.deps.gates.check(target, alias, version);
    if (decision.effect === 'break-glass') {
      const glass = { reason: breakGlass as string, bypassed: withGates(decision.bypassed, checks) };
      return this.applyBroken(who, 'promote', change, glass, { target, alias, action: 'promote', route: plan });
    }
    await this.deps.gates.refuseUnmet(who, target, alias, version, 'promote', checks);
    if (decision.effect === 'needs-approval') {
      return this.deps.approvals.request(who, { target, alias, action: 'promote', version, plan, checks }, decision);
    }
    return this.apply(who, 'promote', {
      target: actingFor(target, who.actor),
      alias,
      action: 'promote',
      note: change,
      route: plan,
    });
  }

  async shift(
    who: Who,
    ref: AliasArg,
    version: string,
    percent: number,
    breakGlass?: string,
  ): Promise<AliasChanged | ApprovalRequested> {
    const target = this.deps.fleet.resolve(ref);
    const { alias } = ref;
    let displaced: AliasChanged['displaced'];
    const plan = (current: AliasState) => {
      checkSameAccount(ref, current.arn);
      const shifted = shift(current.routing, version, percent);
      if (!shifted.ok) throw new BotError('invalid-change', `can't shift ${target.fn}:${alias}: ${shifted.problem}`);
      const other = current.routing.additional;
      displaced = other && other.version !== version && other.version !== shifted.routing.primary ? other : undefined;
      return shifted.routing;
    };
    const change = `shift ${percent}% to v${version}`;
    const decision = await this.permit(who, 'shift', target, alias, breakGlass);
    // Shifting a version to 0% takes traffic away from it: nothing moves onto it, so no gate applies.
    const checks = percent > 0 ? await this.deps.gates.check(target, alias, version) : undefined;
    let result: AliasChanged | ApprovalRequested;
    if (decision.effect === 'break-glass') {
      const glass = { reason: breakGlass as string, bypassed: withGates(decision.bypassed, checks) };
      result = await this.applyBroken(who, 'shift', change, glass, { target, alias, action: 'shift', route: plan });
    } else {
      await this.deps.gates.refuseUnmet(who, target, alias, version, 'shift', checks);
      if (decision.effect === 'needs-approval') {
        return this.deps.approvals.request(who, { target, alias, action: 'shift', version, plan, checks }, decision);
      }
      result = await this.apply(who, 'shift', {
        target: actingFor(target, who.actor),
        alias,
        action: 'shift',
        note: change,
        route: plan,
      });
    }
    return displaced && result.kind === 'alias-changed' ? { ...result, displaced } : result;
  }

  async rollback(
    who: Who,
    ref: AliasArg,
    version: string | undefined,
    reason: string | undefined,
    breakGlass?: string,
  ): Promise<AliasChanged> {
    const target = this.deps.fleet.resolve(ref);
    const { alias } = ref;
    // Rollback is never subject to approval (the policy never asks for it) nor to freezes.
    const decision = await this.permit(who, 'rollback', target, alias, breakGlass);
    const change = `rollback${version ? ` to v${version}` : ''}`;
    // A rollback to a version the alias served before passes the gates; to any other, they apply.
    const checks = version === undefined ? undefined : await this.deps.gates.checkRollback(target, alias, version);
    const note = [change, reason && `reason: ${reason}`].filter(Boolean).join('; ');
    const route = async (current: AliasState, drift: Drift | undefined) => {
      checkSameAccount(ref, current.arn);
      const to = version ?? (await this.previousVersion(target.fn, alias, current, drift));
      if (current.routing.primary === to && !current.routing.additional) {
        throw new BotError(
          'invalid-change',
          `${target.fn}:${alias} already sends 100% to ${label(to)}: nothing to roll back`,
        );
      }
      return single(to);
    };
    let changed: AliasChanged;
    if (decision.effect === 'break-glass') {
      const glass = { reason: breakGlass as string, bypassed: withGates(decision.bypassed, checks) };
      changed = await this.applyBroken(who, 'rollback', change, glass, { target, alias, action: 'rollback', route });
    } else {
      await this.deps.gates.refuseUnmet(who, target, alias, version as string, 'rollback', checks);
      changed = await this.apply(who, 'rollback', {
        target: actingFor(target, who.actor),
        alias,
        action: 'rollback',
        note,
        route,
      });
    }
    return reason ? { ...changed, reason } : changed;
  }

  /**
   * The version the alias served before its last change by anyone: if someone changed it outside
   * the bot, the version the bot had set; otherwise the `from` of the last change in the audit log.
   */
  async previousVersion(fn: string, alias: string, current: AliasState, drift: Drift | undefined): Promise<string> {
    if (drift) return drift.expected.primary;
    const [last] = await this.deps.audit.recent({
      fn,
      alias,
      actions: CHANGE_ACTIONS,
      results: ['ok'],
      limit: 1,
    });
    if (!last?.from) {
      // Trimmed: the earlier change may be in the archive, where the bot does not look for a rollback.
      const archived = (await this.deps.audit.trimmedBefore()) ? '; earlier history may be in the audit archive' : '';
      throw new BotError(
        'needs-version',
        `the audit log has no earlier change of ${fn}:${alias} (it serves ${splitText(current.routing)}${archived}); say which version: /lambda rollback ${fn}:${alias} V`,
      );
    }
    return last.from.version;
  }

  private async permit(
    who: Who,
    action: 'promote' | 'shift' | 'rollback',
    target: Target,
    alias: string,
    breakGlass: string | undefined,
  ): Promise<Decision> {
    const options = { breakGlass: breakGlass !== undefined };
    return this.deps.gate.check(who, action, { fn: target.fn, alias }, action, target, options);
  }

  private async apply(who: Who, action: AliasChanged['action'], plan: ChangePlan): Promise<AliasChanged> {
    const where = this.deps.fleet.where(plan.target.place);
    return aliasChanged(who, action, plan.target, plan.alias, where, await this.deps.changer.change(who, plan));
  }

  /**
   * A break-glass change: made at once as the person, every record marked and carrying the reason
   * and what was bypassed, then announced for review.
   */
  private async applyBroken(
    who: Who,
    action: AliasChanged['action'],
    change: string,
    glass: { readonly reason: string; readonly bypassed: readonly Bypass[] },
    plan: Pick<ChangePlan, 'target' | 'alias' | 'action' | 'route'>,
  ): Promise<AliasChanged> {
    const changed = await this.apply(who, action, {
      ...plan,
      target: actingFor(plan.target, who.actor),
      breakGlass: true,
      note: `${change}; break-glass: ${glass.reason}; bypassed ${describeBypasses(glass.bypassed)}`,
    });
    const made = { target: plan.target, alias: plan.alias, action, change, ...glass };
    const record = await this.deps.breakGlass.announce(who, made);
    return {
      ...changed,
      breakGlass: { reason: glass.reason, bypassed: glass.bypassed, ...(record ? { id: record.id } : {}) },
    };
  }
}

/** The bypasses of a break-glass change: the policy's, and the gates it did not meet. */
export function withGates(bypassed: readonly Bypass[], checks: readonly GateCheck[] | undefined): Bypass[] {
  const unmet = (checks ?? []).filter((c) => !c.met).map((c) => c.fact);
  return unmet.length > 0 ? [...bypassed, { kind: 'gates', unmet }] : [...bypassed];
}
