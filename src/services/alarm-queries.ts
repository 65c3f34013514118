import type { WatchedAlarm } from '../domain/alarm.js';
import { plainReason } from '../domain/alarm-reason.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { FunctionArg } from '../domain/grammar/values.js';
import type { AlarmLine, AlarmStates, Alarms } from '../domain/outcome.js';
import type { AlarmSource } from '../ports.js';

export interface AlarmQueryDeps {
  readonly fleet: Fleet;
  readonly source: AlarmSource;
}

const ORDER = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 } as const;

/**
 * `alarms FN`, and the alarm part of `status`: the watched alarms as CloudWatch has them now,
 * from one sweep (shared with the poller when one is under way). Read-only; anyone may ask.
 */
export class AlarmQueries {
  constructor(private readonly deps: AlarmQueryDeps) {}

  async list(ref: FunctionArg): Promise<Alarms> {
    const target = this.deps.fleet.resolve(ref);
    const watched = target.managed;
    const states = watched ? await this.states(target.fn) : { lines: [], missing: [] };
    return { kind: 'alarms', fn: target.fn, watched, states };
  }

  /**
   * The alarm part of `status`: the states of the function a person named, resolved as the rest of
   * the command resolves it (an ARN's `fn` is the AWS name, which may be another entry's key).
   */
  async statesOf(ref: FunctionArg, alias?: string): Promise<AlarmStates> {
    return this.states(this.deps.fleet.resolve(ref).fn, alias);
  }

  /**
   * The function's alarms; with an alias, those about that alias or the whole function. When
   * CloudWatch does not answer, says so instead of failing the command that asked.
   */
  async states(fn: string, alias?: string): Promise<AlarmStates> {
    try {
      return await this.current(fn, alias);
    } catch (error) {
      if (error instanceof BotError && ['aws-unavailable', 'aws-refused', 'account-unavailable'].includes(error.code)) {
        return { lines: [], missing: [], unavailable: error.message };
      }
      throw error;
    }
  }

  /**
   * The same, for code that acts on alarm states (a rollout's bake): CloudWatch not answering
   * rejects, because "no alarm known" must never read as "no alarm firing".
   */
  async current(fn: string, alias?: string): Promise<AlarmStates & { readonly unavailable?: never }> {
    const target = this.deps.fleet.get(fn);
    // Only policy functions have watched alarms; a function outside it has none to show.
    if (!target) return { lines: [], missing: [] };
    const sweep = await this.deps.source.sweep(target.place);
    const failed = sweep.failed[0];
    if (failed) throw new BotError('aws-unavailable', `the alarms of ${fn} could not be read: ${failed.reason}`);
    const about = (w: WatchedAlarm) =>
      w.subject.fn === fn && (alias === undefined || w.subject.alias === undefined || w.subject.alias === alias);
    const lines = sweep.alarms
      .filter(about)
      .map(lineOf)
      .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name));
    const missing = sweep.missing.filter((m) => m.fn === fn).map((m) => m.name);
    return { lines, missing };
  }
}

function lineOf({ alarm, subject }: WatchedAlarm): AlarmLine {
  return {
    name: alarm.name,
    kind: alarm.kind,
    state: alarm.state,
    since: new Date(alarm.since).toISOString(),
    reason: plainReason(alarm),
    ...(subject.alias ? { alias: subject.alias } : {}),
    ...(subject.version ? { version: subject.version } : {}),
  };
}
