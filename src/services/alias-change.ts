import type { AuditAction, AuditRecord } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { Drift } from '../domain/outcome.js';
import { describeRouting, type Routing, sameRouting } from '../domain/routing.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AliasMemory, AliasState, AuditLog, Clock, LambdaGateway, Locks, WrittenState } from '../ports.js';
import type { Who } from './gate.js';
import { snapshot } from './snapshots.js';

/** How long an alias lock lives if its holder dies mid-change: longer than any one change takes. */
const LOCK_TTL_MS = 30_000;

export interface ChangePlan {
  /** The function, where it is, and as whom AWS is called: the person the change is made for, or the bot. */
  readonly target: Target;
  readonly alias: string;
  readonly action: AuditAction;
  /** The routing wanted, given the alias as it is (and any drift found). Throws BotError to refuse. */
  readonly route: (current: AliasState, drift: Drift | undefined) => Routing | Promise<Routing>;
  /** Extra words for the audit record (a reason, a rollout step). */
  readonly note?: string;
  /**
   * Apply only to exactly this state (an approval binds to the revision it showed). Without it,
   * the bot starts from the state it last knew and re-reads once if AWS says that is stale.
   */
  readonly bound?: AliasState;
  /** Made with break-glass (CONTRACT §11): every record of the change carries `breakglass: true`. */
  readonly breakGlass?: boolean;
}

export interface ChangeResult {
  readonly before: AliasState;
  readonly after: AliasState;
  readonly drift?: Drift;
  /** The outcome record; absent when the change was made but Redis failed before it was written. */
  readonly record?: AuditRecord;
}

export interface AliasChangerDeps {
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly locks: Locks;
  readonly aliases: AliasMemory;
  readonly clock: Clock;
}

/**
 * The one write path for aliases: lock → state → intent record → UpdateAlias with the
 * RevisionId of that state → outcome record. AWS's RevisionId check makes the write apply
 * only to the state recorded as `from`, so the audit log describes exactly what was replaced.
 */
export class AliasChanger {
  constructor(private readonly deps: AliasChangerDeps) {}

  async change(who: Who, plan: ChangePlan): Promise<ChangeResult> {
    const { locks, aliases } = this.deps;
    const fn = plan.target.fn;
    const lock = await locks.acquire(`alias:${fn}:${plan.alias}`, { ...who, action: plan.action }, LOCK_TTL_MS);
    if (!lock.acquired) {
      throw new BotError('busy', `${fn}:${plan.alias} is being changed by another request (${lock.holder.action})`, {
        details: { holder: lock.holder },
      });
    }
    try {
      const memory = plan.bound ? {} : await aliases.recall(fn, plan.alias);
      let state = plan.bound ?? memory.seen;
      let fresh = state === undefined;
      state ??= await this.readOrRecord(who, plan);
      for (;;) {
        const drift = driftOf(memory.written, state);
        const outcome = await this.attempt(who, plan, state, drift, !fresh && !plan.bound);
        if (outcome !== 'stale') return outcome;
        state = await this.readOrRecord(who, plan);
        fresh = true;
      }
    } finally {
      await lock.release().catch(() => {});
    }
  }

  /**
   * One try at the update; 'stale' when the starting state came from memory and either AWS says it
   * moved on, or the change is refused on it (read again, it may make sense).
   */
  private async attempt(
    who: Who,
    plan: ChangePlan,
    state: AliasState,
    drift: Drift | undefined,
    mayRetry: boolean,
  ): Promise<ChangeResult | 'stale'> {
    const { lambda, audit, aliases, clock } = this.deps;
    let routing: Routing;
    try {
      routing = await plan.route(state, drift);
    } catch (error) {
      // A state from memory can be behind AWS (a failover lost the bot's note of its own last
      // change): what AWS holds decides whether the change makes sense, not what the bot remembers.
      if (mayRetry) return 'stale';
      throw error;
    }
    const base = this.base(who, plan);
    const detail = [plan.note, drift && driftNote(drift)].filter(Boolean).join('; ');
    const from = snapshot(state.routing);
    const to = snapshot(routing);
    await audit.append({ ...base, from, to, result: 'pending', detail: detail || 'intent' });

    let after: AliasState;
    let confirmed = '';
    try {
      after = await lambda.updateAlias(plan.target, plan.alias, routing, state.revisionId);
    } catch (error) {
      const found = await this.lostAnswer(plan, state, routing, error);
      if (found.applied) {
        after = found.applied;
        confirmed = `AWS's answer was lost (${(error as Error).message}); reading the alias back found the change made`;
      } else {
        const stale = error instanceof BotError && error.code === 'revision-conflict';
        await audit.append({ ...base, from, to, result: 'error', detail: found.detail });
        if (stale && mayRetry) return 'stale';
        if (stale) throw await this.conflict(plan);
        throw error;
      }
    }

    await aliases.wrote(after, who.request, clock.now()).catch(() => {});
    try {
      const outcome = [detail, confirmed].filter(Boolean).join('; ');
      const record = await audit.append({ ...base, from, to, result: 'ok', detail: outcome });
      return { before: state, after, ...(drift ? { drift } : {}), record };
    } catch {
      // The change is made; only its outcome record is missing. The intent record describes it,
      // and saying "failed" now would be a lie that invites a second, conflicting change.
      return { before: state, after, ...(drift ? { drift } : {}) };
    }
  }

  /**
   * An UpdateAlias that failed without a clear "no" (a timeout, a 5xx, or a 412 on a retry of an
   * attempt whose answer was lost) may have been applied. The alias is read back: holding exactly
   * the change under a new RevisionId, it was made, and the audit log must say so, not "failed".
   */
  private async lostAnswer(
    plan: ChangePlan,
    state: AliasState,
    routing: Routing,
    error: unknown,
  ): Promise<{ applied?: AliasState; detail: string }> {
    const code = error instanceof BotError ? error.code : 'internal';
    const retried = error instanceof BotError && Number(error.details.attempts ?? 1) > 1;
    const why = (error as Error).message;
    if ((code === 'revision-conflict' && retried) || code === 'aws-unavailable') {
      const now = await this.read(plan).catch(() => undefined);
      if (now && now.revisionId !== state.revisionId && sameRouting(now.routing, routing)) {
        return { applied: now, detail: '' };
      }
      if (code === 'revision-conflict') return { detail: 'not applied: the alias had changed since it was read' };
      if (now?.revisionId === state.revisionId) return { detail: `not applied: ${why}` };
      return { detail: `outcome unknown: ${why}` };
    }
    return { detail: `not applied: ${why}` };
  }

  private async read(plan: ChangePlan): Promise<AliasState> {
    const state = await this.deps.lambda.getAlias(plan.target, plan.alias);
    await this.deps.aliases.saw(state).catch(() => {});
    return state;
  }

  /**
   * The read that starts a change. When the account cannot be reached as the person (the role
   * cannot be assumed), the refusal is a change that failed and goes on the record: nothing was
   * changed, and the audit log says why.
   */
  private async readOrRecord(who: Who, plan: ChangePlan): Promise<AliasState> {
    try {
      return await this.read(plan);
    } catch (error) {
      if (error instanceof BotError && error.code === 'account-unavailable') {
        await this.deps.audit.append({
          ...this.base(who, plan),
          from: null,
          to: null,
          result: 'error',
          detail: `not applied: ${error.message}`,
        });
      }
      throw error;
    }
  }

  private base(who: Who, plan: ChangePlan) {
    return {
      actor: who.actor,
      action: plan.action,
      function: plan.target.fn,
      alias: plan.alias,
      request: who.request,
      ...recordedPlace(plan.target),
      ...(plan.breakGlass ? { breakglass: true as const } : {}),
    };
  }

  private async conflict(plan: ChangePlan): Promise<BotError> {
    const now = await this.read(plan).catch(() => undefined);
    const shown = now ? ` It is now ${describeRouting(now.routing)}.` : '';
    return new BotError(
      'revision-conflict',
      `${plan.target.fn}:${plan.alias} changed while this was being applied.${shown}`,
      {
        details: now ? { current: now.routing } : {},
      },
    );
  }
}

/** The alias differs from what the bot last wrote: someone changed it outside the bot. */
export function driftOf(written: WrittenState | undefined, state: AliasState): Drift | undefined {
  if (!written || written.state.revisionId === state.revisionId) return undefined;
  if (sameRouting(written.state.routing, state.routing)) return undefined;
  return { expected: written.state.routing, since: written.at, found: state.routing };
}

function driftNote(drift: Drift): string {
  return `changed outside the bot since ${drift.since}: expected ${describeRouting(drift.expected)}, found ${describeRouting(drift.found)}`;
}
