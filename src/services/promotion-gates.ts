import type { AuditAction } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import { allMet, evaluateGates, type GateCheck, hasGates } from '../domain/gates.js';
import type { FunctionArg } from '../domain/grammar/values.js';
import type { GatesView } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import { asBot, recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, Clock, LambdaGateway } from '../ports.js';
import type { Who } from './gate.js';
import type { GateEvidence } from './gate-evidence.js';

export interface PromotionGateDeps {
  readonly fleet: Fleet;
  readonly policy: Policy;
  readonly lambda: LambdaGateway;
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

  /**
   * For `status FN:ALIAS`: the gates of the alias judged for its candidate, the version the alias
   * its gates name (soaked_on, else same_code_as) serves now; the soak fact is the candidate's clock.
   */
  async view(ref: FunctionArg, alias: string): Promise<GatesView | undefined> {
    const target = this.deps.fleet.resolve(ref);
    const gates = this.deps.policy.functions.get(target.fn)?.aliases.get(alias)?.gates;
    if (!hasGates(gates)) return undefined;
    const from = gates.soakedOn ?? gates.sameCodeAs;
    if (from === undefined) return { alias, note: 'the gates name no alias to take a candidate from' };
    const source = await this.deps.lambda.getAlias(asBot(target), from);
    const candidate = source.routing.primary;
    if (candidate === '$LATEST') return { alias, note: `${from} serves $LATEST, which is never promoted` };
    const checks = await this.check(target, alias, candidate);
    return { alias, candidate, from, ...(checks ? { checks } : {}) };
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
