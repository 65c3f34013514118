import { BotError } from '../domain/errors.js';
import type { AliasTarget } from '../domain/grammar/values.js';
import type { AliasChanged, Drift } from '../domain/outcome.js';
import { label, type Routing, shift, single, splitText } from '../domain/routing.js';
import type { AliasState, AuditLog } from '../ports.js';
import type { AliasChanger, ChangePlan, ChangeResult } from './alias-change.js';
import type { PolicyGate, Who } from './gate.js';
import { CHANGE_ACTIONS } from './snapshots.js';
import { checkSameAccount } from './targets.js';

/**
 * promote, shift and rollback: policy first, then one audited alias change. Approvals for
 * protected aliases are the approval service's business; here a protected alias refuses.
 */
export class ReleaseService {
  constructor(
    private readonly gate: PolicyGate,
    private readonly changer: AliasChanger,
    private readonly audit: AuditLog,
  ) {}

  async promote(who: Who, target: AliasTarget, version: string): Promise<AliasChanged> {
    await this.permit(who, 'promote', target);
    return this.apply(who, 'promote', target, {
      fn: target.fn,
      alias: target.alias,
      action: 'promote',
      note: `promote to v${version}`,
      target: (current) => {
        checkSameAccount(target, current.arn);
        if (current.routing.primary === version && !current.routing.additional) {
          throw new BotError('invalid-change', `${target.fn}:${target.alias} already sends 100% to v${version}`);
        }
        return single(version);
      },
    });
  }

  async shift(who: Who, target: AliasTarget, version: string, percent: number): Promise<AliasChanged> {
    await this.permit(who, 'shift', target);
    let displaced: AliasChanged['displaced'];
    const result = await this.apply(who, 'shift', target, {
      fn: target.fn,
      alias: target.alias,
      action: 'shift',
      note: `shift ${percent}% to v${version}`,
      target: (current) => {
        checkSameAccount(target, current.arn);
        const shifted = shift(current.routing, version, percent);
        if (!shifted.ok)
          throw new BotError('invalid-change', `can't shift ${target.fn}:${target.alias}: ${shifted.problem}`);
        const other = current.routing.additional;
        displaced = other && other.version !== version && other.version !== shifted.routing.primary ? other : undefined;
        return shifted.routing;
      },
    });
    return displaced ? { ...result, displaced } : result;
  }

  async rollback(
    who: Who,
    target: AliasTarget,
    version: string | undefined,
    reason: string | undefined,
  ): Promise<AliasChanged> {
    await this.permit(who, 'rollback', target);
    const note = [`rollback${version ? ` to v${version}` : ''}`, reason && `reason: ${reason}`]
      .filter(Boolean)
      .join('; ');
    const changed = await this.apply(who, 'rollback', target, {
      fn: target.fn,
      alias: target.alias,
      action: 'rollback',
      note,
      target: async (current, drift) => {
        checkSameAccount(target, current.arn);
        const to = version ?? (await this.previousVersion(target, current, drift));
        if (current.routing.primary === to && !current.routing.additional) {
          throw new BotError(
            'invalid-change',
            `${target.fn}:${target.alias} already sends 100% to ${label(to)}: nothing to roll back`,
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
  async previousVersion(target: AliasTarget, current: AliasState, drift: Drift | undefined): Promise<string> {
    if (drift) return drift.expected.primary;
    const [last] = await this.audit.recent({
      fn: target.fn,
      alias: target.alias,
      actions: CHANGE_ACTIONS,
      results: ['ok'],
      limit: 1,
    });
    if (!last?.from) {
      throw new BotError(
        'needs-version',
        `the audit log has no earlier change of ${target.fn}:${target.alias} (it serves ${splitText(current.routing)}); say which version: /lambda rollback ${target.fn}:${target.alias} V`,
      );
    }
    return last.from.version;
  }

  private async permit(who: Who, action: 'promote' | 'shift' | 'rollback', target: AliasTarget): Promise<void> {
    const decision = await this.gate.check(who, action, { fn: target.fn, alias: target.alias }, action);
    if (decision.effect === 'needs-approval') {
      const reason = `${target.fn}:${target.alias} is protected: ${action} needs approval by ${decision.approvers.join(' or ')}, and approval requests are not available yet`;
      await this.audit.append({
        actor: who.actor,
        action,
        function: target.fn,
        alias: target.alias,
        from: null,
        to: null,
        result: 'denied',
        detail: reason,
        request: who.request,
      });
      throw new BotError('not-permitted', reason);
    }
  }

  private async apply(
    who: Who,
    action: AliasChanged['action'],
    target: AliasTarget,
    plan: ChangePlan,
  ): Promise<AliasChanged> {
    return toOutcome(who, action, target, await this.changer.change(who, plan));
  }
}

function toOutcome(who: Who, action: AliasChanged['action'], target: AliasTarget, result: ChangeResult): AliasChanged {
  const before: Routing = result.before.routing;
  return {
    kind: 'alias-changed',
    action,
    fn: target.fn,
    alias: target.alias,
    actor: who.actor,
    before,
    after: result.after.routing,
    ...(result.drift ? { drift: result.drift } : {}),
    auditId: result.record?.id ?? '',
    ...(result.record ? {} : { unrecorded: true }),
  };
}
