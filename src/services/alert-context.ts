import type { AlarmSubject } from '../domain/alarm.js';
import type { DeployContext, LastChange } from '../domain/alert.js';
import type { AuditRecord } from '../domain/audit.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { Drift } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import { label, versionsOf } from '../domain/routing.js';
import type { AliasMemory, AliasState, AuditLog, LambdaGateway } from '../ports.js';
import { driftOf } from './alias-change.js';
import type { ReleaseService } from './release.js';
import { CHANGE_ACTIONS } from './snapshots.js';

export interface AlertContextDeps {
  readonly fleet: Fleet;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly aliases: AliasMemory;
  /** Its `previousVersion` is the rollback target, so the button and `/lambda rollback` agree. */
  readonly release: ReleaseService;
  readonly policy: Policy;
}

/**
 * What an alert says about the release behind its alarm: the alias, its routing now, its last
 * change from the audit log, and the version one click rolls back to. Never throws: an alert
 * with part of its context missing (and saying why) beats an alert not sent.
 */
export class AlertContexts {
  constructor(private readonly deps: AlertContextDeps) {}

  async of(subject: AlarmSubject): Promise<DeployContext> {
    const { fn } = subject;
    let alias = subject.alias;
    let chosen: string | undefined;
    let last: AuditRecord | undefined;
    if (alias === undefined) {
      const pick = await this.choose(subject).catch(() => undefined);
      if (!pick) {
        return {
          routingUnknown: 'the alarm names no alias',
          rollback: {
            unavailable: `the alarm names no alias of ${fn}, and no alias of ${fn} in the policy file has a change in the audit log, so the bot cannot tell what to roll back; use /lambda rollback ${fn}:ALIAS V`,
          },
        };
      }
      ({ alias, last, why: chosen } = pick);
    } else {
      last = await this.lastChange(fn, alias).catch(() => undefined);
    }

    let state: AliasState | undefined;
    let routingUnknown: string | undefined;
    try {
      state = await this.deps.lambda.getAlias(this.deps.fleet.named(fn), alias);
    } catch (error) {
      routingUnknown = `AWS did not answer for ${fn}:${alias} (${(error as Error).message})`;
    }
    const drift = state ? await this.driftOf(state) : undefined;
    return {
      alias,
      ...(chosen ? { chosen } : {}),
      ...(state ? { routing: state.routing } : {}),
      ...(routingUnknown ? { routingUnknown } : {}),
      ...(last ? { lastChange: lastChangeOf(last) } : {}),
      ...(drift ? { drift } : {}),
      rollback: await this.target(fn, alias, state, drift, last),
    };
  }

  /** The version the alias served before its last change, as `/lambda rollback FN:ALIAS` would pick it. */
  private async target(
    fn: string,
    alias: string,
    state: AliasState | undefined,
    drift: Drift | undefined,
    last: AuditRecord | undefined,
  ): Promise<DeployContext['rollback']> {
    if (!this.deps.policy.functions.get(fn)?.aliases.has(alias)) {
      return { unavailable: `${fn}:${alias} is not in the policy file, so the bot changes nothing on it` };
    }
    let version: string;
    if (state) {
      try {
        version = await this.deps.release.previousVersion(fn, alias, state, drift);
      } catch (error) {
        if (error instanceof BotError && error.code === 'needs-version') {
          return {
            unavailable: `the audit log has no earlier change of ${fn}:${alias}; use /lambda rollback ${fn}:${alias} V`,
          };
        }
        return { unavailable: `the audit log could not be read (${(error as Error).message})` };
      }
      if (state.routing.primary === version && !state.routing.additional) {
        return { unavailable: `${fn}:${alias} already sends 100% to ${label(version)}` };
      }
    } else if (last?.from) {
      version = last.from.version;
    } else {
      return { unavailable: 'neither AWS nor the audit log tells which version to go back to' };
    }
    return { version };
  }

  /**
   * For an alarm on the whole function (or one version): the policy alias whose last audited
   * change is newest, preferring aliases that serve the alarm's version.
   */
  private async choose(subject: AlarmSubject): Promise<{ alias: string; last: AuditRecord; why: string } | undefined> {
    const { fn, version } = subject;
    let candidates = [...(this.deps.policy.functions.get(fn)?.aliases.keys() ?? [])];
    let serving = false;
    if (version !== undefined) {
      const states = await this.deps.lambda.listAliases(this.deps.fleet.named(fn)).catch(() => []);
      const servers = new Set(states.filter((s) => versionsOf(s.routing).includes(version)).map((s) => s.alias));
      const narrowed = candidates.filter((a) => servers.has(a));
      if (narrowed.length > 0) {
        candidates = narrowed;
        serving = true;
      }
    }
    const lasts = await Promise.all(
      candidates.map(async (alias) => ({ alias, last: await this.lastChange(fn, alias) })),
    );
    const newest = lasts
      .filter((c): c is { alias: string; last: AuditRecord } => c.last !== undefined)
      .sort((a, b) => Number(b.last.id) - Number(a.last.id))[0];
    if (!newest) return undefined;
    const which = serving
      ? `the alias serving ${label(version as string)} that changed last`
      : `the alias of ${fn} changed last`;
    return { ...newest, why: `the alarm names no alias; this is ${newest.alias}, ${which}` };
  }

  private async lastChange(fn: string, alias: string): Promise<AuditRecord | undefined> {
    const [last] = await this.deps.audit.recent({ fn, alias, actions: CHANGE_ACTIONS, results: ['ok'], limit: 1 });
    return last;
  }

  private async driftOf(state: AliasState): Promise<Drift | undefined> {
    const memory = await this.deps.aliases.recall(state.fn, state.alias).catch(() => ({ written: undefined }));
    return driftOf(memory.written, state);
  }
}

function lastChangeOf(r: AuditRecord): LastChange {
  return { actor: r.actor, action: r.action, at: r.at, from: r.from, to: r.to, auditId: r.id };
}
