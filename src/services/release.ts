import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { AliasArg } from '../domain/grammar/values.js';
import type { AliasChanged, ApprovalRequested, Drift } from '../domain/outcome.js';
import type { Decision } from '../domain/policy.js';
import { label, shift, single, splitText } from '../domain/routing.js';
import { actingFor, type Target } from '../domain/target.js';
import type { AliasState, AuditLog } from '../ports.js';
import type { AliasChanger, ChangePlan } from './alias-change.js';
import type { ApprovalService } from './approvals.js';
import type { PolicyGate, Who } from './gate.js';
import { aliasChanged } from './outcomes.js';
import { CHANGE_ACTIONS } from './snapshots.js';
import { checkSameAccount } from './targets.js';

/**
 * promote, shift and rollback: policy first, then one audited alias change, or, on a protected
 * alias, an approval request for exactly that change.
 */
export class ReleaseService {
  constructor(
    private readonly fleet: Fleet,
    private readonly gate: PolicyGate,
    private readonly changer: AliasChanger,
    private readonly audit: AuditLog,
    private readonly approvals: ApprovalService,
  ) {}

  async promote(who: Who, ref: AliasArg, version: string): Promise<AliasChanged | ApprovalRequested> {
    const target = this.fleet.resolve(ref);
    const { alias } = ref;
    const plan = (current: AliasState) => {
      checkSameAccount(ref, current.arn);
      if (current.routing.primary === version && !current.routing.additional) {
        throw new BotError('invalid-change', `${target.fn}:${alias} already sends 100% to v${version}`);
      }
      return single(version);
    };
    const decision = await this.permit(who, 'promote', target, alias);
    if (decision.effect === 'needs-approval') {
      return this.approvals.request(who, { target, alias, action: 'promote', version, plan }, decision);
    }
    return this.apply(who, 'promote', {
      target: actingFor(target, who.actor),
      alias,
      action: 'promote',
      note: `promote to v${version}`,
      route: plan,
    });
  }

  async shift(who: Who, ref: AliasArg, version: string, percent: number): Promise<AliasChanged | ApprovalRequested> {
    const target = this.fleet.resolve(ref);
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
    const decision = await this.permit(who, 'shift', target, alias);
    if (decision.effect === 'needs-approval') {
      return this.approvals.request(who, { target, alias, action: 'shift', version, plan }, decision);
    }
    const result = await this.apply(who, 'shift', {
      target: actingFor(target, who.actor),
      alias,
      action: 'shift',
      note: `shift ${percent}% to v${version}`,
      route: plan,
    });
    return displaced ? { ...result, displaced } : result;
  }

  async rollback(
    who: Who,
    ref: AliasArg,
    version: string | undefined,
    reason: string | undefined,
  ): Promise<AliasChanged> {
    const target = this.fleet.resolve(ref);
    const { alias } = ref;
    // Break-glass: rollback is never subject to approval (the policy never asks for it).
    await this.permit(who, 'rollback', target, alias);
    const note = [`rollback${version ? ` to v${version}` : ''}`, reason && `reason: ${reason}`]
      .filter(Boolean)
      .join('; ');
    const changed = await this.apply(who, 'rollback', {
      target: actingFor(target, who.actor),
      alias,
      action: 'rollback',
      note,
      route: async (current, drift) => {
        checkSameAccount(ref, current.arn);
        const to = version ?? (await this.previousVersion(target.fn, alias, current, drift));
        if (current.routing.primary === to && !current.routing.additional) {
          throw new BotError(
            'invalid-change',
            `${target.fn}:${alias} already sends 100% to ${label(to)}: nothing to roll back`,
          );
        }
        return single(to);
      },
    });
    return reason ? { ...changed, reason } : changed;
  }

  /**
   * The version the alias served before its last change by anyone: if someone changed it outside
   * the bot, the version the bot had set; otherwise the `from` of the last change in the audit log.
   */
  async previousVersion(fn: string, alias: string, current: AliasState, drift: Drift | undefined): Promise<string> {
    if (drift) return drift.expected.primary;
    const [last] = await this.audit.recent({
      fn,
      alias,
      actions: CHANGE_ACTIONS,
      results: ['ok'],
      limit: 1,
    });
    if (!last?.from) {
      throw new BotError(
        'needs-version',
        `the audit log has no earlier change of ${fn}:${alias} (it serves ${splitText(current.routing)}); say which version: /lambda rollback ${fn}:${alias} V`,
      );
    }
    return last.from.version;
  }

  private async permit(
    who: Who,
    action: 'promote' | 'shift' | 'rollback',
    target: Target,
    alias: string,
  ): Promise<Decision> {
    return this.gate.check(who, action, { fn: target.fn, alias }, action, target);
  }

  private async apply(who: Who, action: AliasChanged['action'], plan: ChangePlan): Promise<AliasChanged> {
    const where = this.fleet.where(plan.target.place);
    return aliasChanged(who, action, plan.target, plan.alias, where, await this.changer.change(who, plan));
  }
}
