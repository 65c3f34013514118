import type { AuditRecord } from '../domain/audit.js';
import type { AlarmEvent, AliasGates, GateFacts, SameCodeFacts, ServedChange, SoakFacts } from '../domain/gates.js';
import { weightsOf } from '../domain/routing.js';
import { asBot, type Target } from '../domain/target.js';
import type { AliasState, AuditLog, LambdaGateway, VersionConfig } from '../ports.js';
import type { AlarmLookup } from './rollouts.js';
import { CHANGE_ACTIONS } from './snapshots.js';

/** Changes of an alias that decide what it served: the bot's, and those it noticed made outside it. */
const SERVED_ACTIONS = [...CHANGE_ACTIONS, 'outside.change', 'outside.accept'] as const;
/** Enough history for any soak people set: a soak alias changes a few times a day. */
const CHANGES_READ = 200;
const ALARM_RECORDS_READ = 500;

export interface GateEvidenceDeps {
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly alarms: AlarmLookup;
}

/**
 * The facts gates are judged on, gathered from where the bot keeps them: the audit log (what the
 * soak alias served since when, its alarms' history), the alarm sweep (what is in ALARM now) and
 * AWS (the version's signature and code, the reference alias). Nothing here is kept in memory, so
 * a restarted bot finds the same soak clock.
 */
export class GateEvidence {
  constructor(private readonly deps: GateEvidenceDeps) {}

  async facts(target: Target, gates: AliasGates, version: string): Promise<GateFacts> {
    // One read of each alias and version per check: `soaked_on` and `same_code_as` usually name the
    // same alias, and the version it serves is often the candidate itself.
    const reads = once(asBot(target), this.deps.lambda);
    const [config, soak, sameCode] = await Promise.all([
      reads.config(version),
      gates.soakedOn === undefined ? undefined : this.soak(reads, gates.soakedOn).catch(() => undefined),
      gates.sameCodeAs === undefined ? undefined : this.sameCode(reads, gates.sameCodeAs).catch(() => undefined),
    ]);
    return {
      version,
      codeSha256: config.codeSha256,
      signing: config.signingProfileVersionArn ? { profileVersionArn: config.signingProfileVersionArn } : {},
      ...(soak ? { soak } : {}),
      ...(sameCode ? { sameCode } : {}),
    };
  }

  /** Whether the alias ever had `version` in its traffic, by the audit log (a rollback there passes the gates). */
  async servedBefore(target: Target, alias: string, version: string): Promise<boolean> {
    const records = await this.deps.audit.recent({
      fn: target.fn,
      alias,
      actions: SERVED_ACTIONS,
      results: ['ok'],
      limit: CHANGES_READ,
    });
    return records.some((r) => (r.from?.weights[version] ?? 0) > 0 || (r.to?.weights[version] ?? 0) > 0);
  }

  private async soak(reads: Reads, alias: string): Promise<SoakFacts> {
    const { target } = reads;
    const [state, changes, watched, alarmRecords, trimmed] = await Promise.all([
      reads.alias(alias),
      this.deps.audit.recent({ fn: target.fn, alias, actions: SERVED_ACTIONS, results: ['ok'], limit: CHANGES_READ }),
      this.deps.alarms(target.fn, alias),
      this.deps.audit.recent({
        fn: target.fn,
        actions: ['alarm.alert', 'alarm.resolve'],
        results: ['ok'],
        limit: ALARM_RECORDS_READ,
      }),
      this.deps.audit.trimmedBefore(),
    ]);
    const names = watched.map((a) => a.name);
    return {
      alias,
      now: weightsOf(state.routing),
      changes: changes.flatMap(served),
      alarms: alarmRecords.flatMap((r) => alarmEvent(r, names)),
      alarmingNow: watched.filter((a) => a.state === 'ALARM').map((a) => a.name),
      // Only when the changes read reach back to the trim: a full page may stop short of it.
      ...(trimmed && changes.length < CHANGES_READ ? { keptSince: trimmed.at } : {}),
    };
  }

  private async sameCode(reads: Reads, alias: string): Promise<SameCodeFacts> {
    const state = await reads.alias(alias);
    const config = await reads.config(state.routing.primary);
    return {
      alias,
      version: state.routing.primary,
      codeSha256: config.codeSha256,
      ...(state.routing.additional ? { split: true } : {}),
    };
  }
}

interface Reads {
  readonly target: Target;
  alias(name: string): Promise<AliasState>;
  config(version: string): Promise<VersionConfig>;
}

/** Lambda reads of one gate check, each made once however many gates ask for it. */
function once(target: Target, lambda: LambdaGateway): Reads {
  const aliases = new Map<string, Promise<AliasState>>();
  const configs = new Map<string, Promise<VersionConfig>>();
  const memo = <T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    const found = cache.get(key) ?? read();
    cache.set(key, found);
    return found;
  };
  return {
    target,
    alias: (name) => memo(aliases, name, () => lambda.getAlias(target, name)),
    config: (version) => memo(configs, version, () => lambda.getConfiguration(target, version)),
  };
}

function served(record: AuditRecord): ServedChange[] {
  return record.to && Object.keys(record.to.weights).length > 0 ? [{ at: record.at, weights: record.to.weights }] : [];
}

/**
 * An alarm record of a watched alarm, as an event. The record names its alarm at the start of its
 * detail (`alarm NAME: …`, `alarm NAME back to OK: …`); the longest watched name that fits wins, so
 * an alarm named as the prefix of another is never taken for it.
 */
function alarmEvent(record: AuditRecord, names: readonly string[]): AlarmEvent[] {
  const fits = names
    .filter((n) => record.detail.startsWith(`alarm ${n}`))
    .filter((n) => /^[ :(]/.test(record.detail.slice(`alarm ${n}`.length)))
    .sort((a, b) => b.length - a.length);
  const alarm = fits[0];
  if (alarm === undefined) return [];
  return [{ at: record.at, alarm, state: record.action === 'alarm.alert' ? 'ALARM' : 'OK' }];
}
