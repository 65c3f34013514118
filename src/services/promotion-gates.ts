import type { AuditAction } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import { allMet, evaluateGates, type GateCheck, hasGates } from '../domain/gates.js';
import type { Policy } from '../domain/policy-model.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, Clock } from '../ports.js';
import type { Who } from './gate.js';
import type { GateEvidence } from './gate-evidence.js';

export interface PromotionGateDeps {
  readonly policy: Policy;
  readonly evidence: GateEvidence;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * Promotion gates where they act (CONTRACT §11): promote, shift and canary onto an alias with
 * gates, and a rollback to a version the alias never served. A gate not met refuses the change with
 * the whole checklist; the refusal is audited like any other.
 */
export class PromotionGates {
  constructor(private readonly deps: PromotionGateDeps) {}

  /** The checklist for moving `alias` to `version`; undefined when the alias has no gates. */
  async check(target: Target, alias: string, version: string): Promise<GateCheck[] | undefined> {
    const gates = this.deps.policy.functions.get(target.fn)?.aliases.get(alias)?.gates;
    if (!hasGates(gates)) return undefined;
    const facts = await this.deps.evidence.facts(target, gates, version);
    return evaluateGates(gates, facts, this.deps.clock.now());
  }

  /** A rollback passes to a version the alias served before; to any other, the gates apply. */
  async checkRollback(target: Target, alias: string, version: string): Promise<GateCheck[] | undefined> {
    const gates = this.deps.policy.functions.get(target.fn)?.aliases.get(alias)?.gates;
    if (!hasGates(gates) || (await this.deps.evidence.servedBefore(target, alias, version))) return undefined;
    return this.check(target, alias, version);
  }

  /** Refuses, audited, with the checklist, when `checks` has a gate not met. */
  async refuseUnmet(
    who: Who,
    target: Target,
    alias: string,
    version: string,
    action: AuditAction,
    checks: readonly GateCheck[] | undefined,
  ): Promise<void> {
    if (!checks || allMet(checks)) return;
    const unmet = checks.filter((c) => !c.met).map((c) => c.fact);
    await this.deps.audit.append({
      actor: who.actor,
      action,
      function: target.fn,
      alias,
      from: null,
      to: null,
      result: 'denied',
      detail: `v${version} has not passed the gates of ${target.fn}:${alias}: ${unmet.join('; ')}`,
      request: who.request,
      ...recordedPlace(target),
    });
    throw new BotError('gates-not-met', `${target.fn}:${alias} takes only versions that passed its gates`, {
      details: { version, checks },
    });
  }
}
