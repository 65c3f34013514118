import { asBotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import { type Observed, settle } from '../domain/intents.js';
import type { AliasMemory, AuditLog, Clock, LambdaGateway } from '../ports.js';
import { CHANGE_ACTIONS, snapshot } from './snapshots.js';

/**
 * Long enough that no change still under way is taken for one that died: an alias lock lives 30 s,
 * and a change's AWS calls give up within a minute.
 */
export const SETTLE_AFTER_MS = 2 * 60_000;
/** Intents settled a run: each costs one AWS read, well within Lambda's control-plane rate. */
const PER_RUN = 50;
/** The alias's recent changes read for the one right after an intent: a busy alias makes a few in two minutes. */
const LATER_READ = 100;

export interface SettlerDeps {
  readonly fleet: Fleet;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly aliases: AliasMemory;
  readonly clock: Clock;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/**
 * The settler (a leader job): every intent left without its outcome (the process died between the
 * AWS call and the record, or a Redis failover lost the outcome the primary had acknowledged) is
 * settled: when the alias was changed again and recorded since, by where that next change started
 * (the intended routing → `ok`; the routing before → `error`; neither → `error`, unknown); else by
 * reading AWS as the bot's own session (the alias holds the intended routing → `ok`, recovered;
 * otherwise `error`, not applied). Either record closes the intent.
 */
export class IntentSettler {
  constructor(private readonly deps: SettlerDeps) {}

  async run(stillLeader: () => Promise<boolean>): Promise<{ readonly settled: number }> {
    const { audit, clock } = this.deps;
    const before = new Date(clock.now().getTime() - SETTLE_AFTER_MS);
    let settled = 0;
    for (const intent of await audit.pendingIntents(before, PER_RUN)) {
      if (!(await stillLeader())) break;
      try {
        const observed = await this.observe(intent);
        const outcome = settle(intent, observed);
        await audit.append({
          actor: 'system',
          action: intent.action,
          function: intent.function,
          alias: intent.alias,
          from: intent.from,
          to: intent.to,
          result: outcome.result,
          detail: `settled by reading AWS (the outcome of ${intent.actor}'s request was never recorded): ${outcome.detail}`,
          request: intent.request,
          ...(intent.account ? { account: intent.account } : {}),
          ...(intent.region ? { region: intent.region } : {}),
        });
        settled++;
      } catch (error) {
        // AWS or Redis had a bad moment: the intent stays pending and is read again next run.
        this.deps.warn('intent not settled; tried again next run', {
          intent: intent.id,
          err: asBotError(error).message,
        });
      }
    }
    return { settled };
  }

  private async observe(intent: Parameters<typeof settle>[0]): Promise<Observed> {
    const { fleet, lambda, aliases, clock } = this.deps;
    const target = intent.function === null ? undefined : fleet.get(intent.function);
    if (!target) return { kind: 'gone', why: `${intent.function} is no longer in the policy file` };
    if (intent.alias !== null) {
      try {
        const [state, recorded] = await Promise.all([
          lambda.getAlias(target, intent.alias),
          this.deps.audit.recent({
            fn: target.fn,
            alias: intent.alias,
            actions: [...CHANGE_ACTIONS, 'outside.change'],
            results: ['ok'],
            limit: LATER_READ,
          }),
        ]);
        const later = recorded
          .filter((r) => Number(r.id) > Number(intent.id))
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((r) => ({ id: r.id, from: r.from }));
        const observed: Observed = { kind: 'alias', now: snapshot(state.routing), later };
        // A change found made was the bot's: remembering it keeps it from reading as drift later.
        if (settle(intent, observed).result === 'ok') await aliases.wrote(state, intent.request, clock.now());
        return observed;
      } catch (error) {
        if (asBotError(error).code === 'alias-not-found')
          return { kind: 'gone', why: `${intent.alias} no longer exists` };
        throw error;
      }
    }
    const versions = await lambda.listVersions(target);
    return { kind: 'versions', versions };
  }
}
