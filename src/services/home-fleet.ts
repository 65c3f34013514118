import type { Fleet } from '../domain/fleet.js';
import type { FleetAlias } from '../domain/home.js';
import { worstAlarm } from '../domain/home.js';
import type { AlarmLine } from '../domain/outcome.js';
import type { Freeze } from '../domain/policy.js';
import type { Policy } from '../domain/policy-model.js';
import { asBot, type Target } from '../domain/target.js';
import type { AliasMemory, AliasState, AuditLog, FreezeStore, LambdaGateway } from '../ports.js';
import type { AlarmQueries } from './alarm-queries.js';
import { driftOf } from './alias-change.js';
import type { PromotionGates } from './promotion-gates.js';
import { CHANGE_ACTIONS } from './snapshots.js';

/** One policy function's aliases as the fleet shows them (`inFlight` is the console's to add). */
export interface FunctionFleet {
  readonly fn: string;
  readonly aliases: readonly Omit<FleetAlias, 'inFlight'>[];
  /** Its watched alarms now (for the alarms a rollout watches). */
  readonly alarms: readonly AlarmLine[];
  /** Why some of it could not be read. */
  readonly problem?: string;
}

export interface FleetReader {
  all(): Promise<FunctionFleet[]>;
}

export interface HomeFleetDeps {
  readonly policy: Policy;
  readonly fleet: Fleet;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly aliases: AliasMemory;
  readonly freezes: FreezeStore;
  readonly alarms: AlarmQueries;
  readonly gates: PromotionGates;
}

/** Changes whose time makes an alias "recently changed": the bot's, and those it noticed outside it. */
const CHANGED = [...CHANGE_ACTIONS, 'outside.change', 'outside.accept'] as const;
/** Records read per function to find each alias's last change. */
const CHANGES_READ = 50;

/**
 * Every policy alias where it stands, read as `status` reads it: AWS for the routing, the alarm sweep
 * for alarm states, Redis for freezes, the last change and whether it moved outside the bot, and the
 * soak gate for the soak clock. Functions are read side by side; one that fails is shown as such.
 */
export class HomeFleet implements FleetReader {
  constructor(private readonly deps: HomeFleetDeps) {}

  all(): Promise<FunctionFleet[]> {
    return Promise.all(this.deps.fleet.all().map((target) => this.function(target)));
  }

  private async function(target: Target): Promise<FunctionFleet> {
    const { fn } = target;
    const policy = this.deps.policy.functions.get(fn);
    const where = this.deps.fleet.where(target.place);
    const names = [...(policy?.aliases.keys() ?? [])];
    const problems: string[] = [];
    const [states, alarms, freezes, changes] = await Promise.all([
      this.deps.lambda.listAliases(asBot(target)).catch((error: unknown) => {
        problems.push(`${fn}: ${(error as Error).message}`);
        return undefined;
      }),
      this.deps.alarms.states(fn).catch((error: unknown) => ({
        lines: [] as AlarmLine[],
        missing: [],
        unavailable: (error as Error).message,
      })),
      this.deps.freezes.list(fn).catch(() => [] as Freeze[]),
      this.deps.audit.recent({ fn, actions: CHANGED, results: ['ok'], limit: CHANGES_READ }).catch(() => []),
    ]);
    const aliases = await Promise.all(
      names.map(async (alias): Promise<Omit<FleetAlias, 'inFlight'>> => {
        const state = states?.find((s) => s.alias === alias);
        const about = alarms.lines.filter((l) => l.alias === undefined || l.alias === alias);
        const frozen = freezes.find((f) => f.alias === undefined || f.alias === alias);
        const lastChangeAt = changes.find((r) => r.alias === alias)?.at;
        const [outsideSince, soak] = await Promise.all([this.outside(state), this.soak(target, alias)]);
        return {
          fn,
          alias,
          where,
          protected: policy?.aliases.get(alias)?.protected ?? false,
          ...(state ? { routing: state.routing } : {}),
          ...(states === undefined
            ? { unreadable: 'AWS did not answer' }
            : state
              ? {}
              : { unreadable: 'no such alias in AWS' }),
          alarm: alarms.unavailable ? 'unknown' : worstAlarm(about.map((l) => l.state)),
          alarming: about.filter((l) => l.state === 'ALARM').map((l) => l.name),
          ...(frozen ? { frozen } : {}),
          ...(outsideSince ? { outsideSince } : {}),
          ...(lastChangeAt ? { lastChangeAt } : {}),
          ...(soak ? { soak } : {}),
        };
      }),
    );
    return { fn, aliases, alarms: alarms.lines, ...(problems.length ? { problem: problems.join('; ') } : {}) };
  }

  /** When the bot last set the alias, if AWS now holds something else (CONTRACT §10); read-only. */
  private async outside(state: AliasState | undefined): Promise<string | undefined> {
    if (!state) return undefined;
    const memory = await this.deps.aliases.recall(state.fn, state.alias).catch(() => undefined);
    return driftOf(memory?.written, state)?.since;
  }

  /** The soak gate's fact for the alias's candidate, when the alias has a soak gate. */
  private async soak(target: Target, alias: string): Promise<string | undefined> {
    const gates = this.deps.policy.functions.get(target.fn)?.aliases.get(alias)?.gates;
    if (gates?.soakedOn === undefined) return undefined;
    const view = await this.deps.gates.view({ fn: target.fn }, alias).catch(() => undefined);
    const fact = view?.checks?.find((c) => c.gate === 'soak')?.fact;
    return fact ?? view?.note;
  }
}
