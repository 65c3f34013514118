import { asBotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import {
  describeChange,
  diffAliases,
  type FunctionWatch,
  newVersions,
  type OutsideChange,
  type OwnChanges,
  type OwnWrite,
} from '../domain/outside.js';
import { isNote, type OutsideAlert, type OutsideFacts } from '../domain/outside-alert.js';
import type { Policy } from '../domain/policy-model.js';
import { type Place, recordedPlace, type Target } from '../domain/target.js';
import type {
  AliasMemory,
  AliasState,
  AuditLog,
  Clock,
  LambdaGateway,
  Locks,
  Notifier,
  OutsideStore,
} from '../ports.js';
import type { Fence } from './alert-delivery.js';
import { Coalesced } from './coalesced.js';
import type { OutsideActions } from './outside-actions.js';
import { snapshot } from './snapshots.js';

/** Alerts posted a pass; more wait for the next. */
const POSTS = 100;
/**
 * The share of the interval a place's reads are spread over: the rest is left for the last alerts,
 * CloudTrail's answers and the leader's next tick, so that a run ends before the next is due.
 */
const SPREAD = 0.75;

export interface OutsideWatchDeps {
  readonly fleet: Fleet;
  readonly policy: Policy;
  readonly lambda: LambdaGateway;
  readonly store: OutsideStore;
  readonly aliases: AliasMemory;
  readonly locks: Locks;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly actions: OutsideActions;
  /** Pauses the alias's rollout under way; answers its ID. */
  readonly pauseRollout: (fn: string, alias: string, reason: string) => Promise<string | undefined>;
  /**
   * Waits for a turn to call Lambda in a place, not before `notBefore` if given: the watch stays well
   * under the control-plane rate there, and spreads its reads over the interval.
   */
  readonly pace: (place: Place, notBefore?: Date) => Promise<void>;
  readonly clock: Clock;
  readonly takeoverMs: number;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

export interface WatchReport {
  readonly functions: number;
  readonly changes: number;
  readonly posted: number;
  readonly failed: readonly string[];
}

/**
 * The watch of changes made outside the bot (a leader job every `watch_interval`, CONTRACT §10): for
 * every policy function, one ListAliases and one page of ListVersionsByFunction (from the marker of
 * the page read last), paced under Lambda's limits; the difference from what the watch accounted for,
 * less the bot's own changes, is recorded once (compare-and-set with its alerts), audited, put back
 * on `revert` aliases, and posted at once.
 *
 * Places are watched side by side (Lambda's limits are per account and region), and each place's
 * functions at even turns over three quarters of the interval: function i of n at i/n of it, at the
 * same moment every run, so that a change waits at most one interval to be seen, and Lambda sees a
 * steady trickle instead of a burst at the start of each interval.
 */
export class OutsideWatch {
  constructor(private readonly deps: OutsideWatchDeps) {}

  async run(fence: Fence): Promise<WatchReport> {
    const start = this.deps.clock.now().getTime();
    const poster = new Coalesced(
      () => this.post(fence),
      (error) => this.deps.warn('outside-change alerts not posted; retried', { err: asBotError(error).message }),
    );
    const places = await Promise.all(
      this.deps.fleet.places().map((place) => this.watchPlace(this.deps.fleet.at(place), fence, start, poster)),
    );
    const posted = await poster.finish();
    const changes = places.reduce((sum, p) => sum + p.changes, 0);
    return { functions: this.deps.fleet.all().length, changes, posted, failed: places.flatMap((p) => p.failed) };
  }

  /** The functions of one place, each at its turn; alerts are posted as soon as they are recorded. */
  private async watchPlace(
    targets: readonly Target[],
    fence: Fence,
    start: number,
    poster: Coalesced,
  ): Promise<{ changes: number; failed: string[] }> {
    const window = this.deps.policy.watchIntervalMs * SPREAD;
    let changes = 0;
    const failed: string[] = [];
    for (const [i, target] of targets.entries()) {
      await this.deps.pace(target.place, new Date(start + (i * window) / targets.length));
      if (!(await fence.stillLeader())) break;
      try {
        const found = await this.watchOne(target);
        changes += found;
        if (found > 0) poster.kick();
      } catch (error) {
        failed.push(`${target.fn}: ${asBotError(error).message}`);
        this.deps.warn('a function was not watched this time', { fn: target.fn, err: asBotError(error).message });
      }
    }
    return { changes, failed };
  }

  /** Reads one function, its turn to call Lambda taken: the aliases now, a page of versions after a turn more. */
  private async watchOne(target: Target): Promise<number> {
    const { store, lambda, clock } = this.deps;
    const { state, rev } = await store.watch(target.fn);
    const seen = await lambda.listAliases(target);
    await this.pace(target);
    const page = await lambda.versionsPage(target, state?.versionsMarker);
    const own = await this.own(target, seen, state?.aliases ?? {});
    const now = clock.now();
    if (!state) {
      // First sight: what is there now is the baseline, alerted on nothing.
      const baseline = await this.baseline(target, seen, page);
      await store.record(target.fn, rev, baseline, [], now);
      return 0;
    }
    const aliases = diffAliases(state.aliases, seen.map(seenAlias), own, now.toISOString());
    const versions = newVersions(state.newestVersion, page.versions, own);
    const marker = page.next ?? page.marker ?? state.versionsMarker;
    const next: FunctionWatch = {
      aliases: aliases.next,
      newestVersion: versions.newest,
      ...(marker ? { versionsMarker: marker } : {}),
    };
    const found = [...aliases.changes, ...versions.changes];
    if (found.length === 0 && JSON.stringify(next) === JSON.stringify(state)) return 0;
    const facts = await Promise.all(found.map((change) => this.factsOf(target, change, now)));
    const recorded = await store.record(target.fn, rev, next, facts, now);
    // Lost the race: another watcher recorded (and alerts) this change.
    if (!recorded.recorded) return 0;
    for (const alert of recorded.alerts) await this.act(target, alert);
    return recorded.alerts.length;
  }

  /** Audits the change, and on a `revert` alias puts it back and pauses a rollout under way. */
  private async act(target: Target, alert: OutsideAlert): Promise<void> {
    const { change } = alert;
    const alias = change.kind === 'version-published' ? null : change.alias;
    await this.deps.audit
      .append({
        actor: 'system',
        action: 'outside.change',
        function: target.fn,
        alias,
        from: 'before' in change ? snapshot(change.before) : null,
        to:
          'after' in change
            ? snapshot(change.after)
            : change.kind === 'version-published'
              ? { version: change.version, weights: {} }
              : null,
        result: 'ok',
        detail: `changed outside the bot: ${describeChange(change)} (alert ${alert.id})`,
        request: alert.id,
        ...recordedPlace(target),
      })
      .catch((error: unknown) =>
        this.deps.warn('outside change not audited', { alert: alert.id, err: asBotError(error).message }),
      );
    if (alias === null || isNote(alert)) return;
    const paused = await this.deps
      .pauseRollout(target.fn, alias, `the alias was changed outside the bot: ${describeChange(change)}`)
      .catch(() => undefined);
    if (paused) await this.deps.store.decide(alert.id, { kind: 'paused', rollout: paused }).catch(() => {});
    if (alert.mode !== 'revert' || change.kind !== 'alias-moved' || !alert.botSet) return;
    try {
      await this.deps.actions.revert(alert, { actor: 'system', request: alert.id });
    } catch (error) {
      const why = asBotError(error).message;
      this.deps.warn('a change made outside the bot could not be put back', { alert: alert.id, err: why });
      await this.deps.store.decide(alert.id, { kind: 'revert-failed', why }).catch(() => {});
    }
  }

  private async factsOf(target: Target, change: OutsideChange, now: Date): Promise<OutsideFacts> {
    const { policy, aliases, fleet } = this.deps;
    const fnPolicy = policy.functions.get(target.fn);
    const aliasPolicy = change.kind === 'version-published' ? undefined : fnPolicy?.aliases.get(change.alias);
    const memory =
      change.kind === 'version-published'
        ? undefined
        : await aliases.recall(target.fn, change.alias).catch(() => undefined);
    const written = memory?.written;
    return {
      fn: target.fn,
      where: fleet.where(target.place),
      change,
      detectedAt: now.toISOString(),
      channel: fnPolicy?.alertsChannel ?? policy.channels.alerts,
      mode: aliasPolicy?.outsideChanges ?? 'alert',
      ...(written
        ? { botSet: written.state.routing }
        : change.kind === 'alias-moved'
          ? { botSet: change.before, fromWatch: true as const }
          : {}),
    };
  }

  /** What the bot did itself: its last write of each alias, the aliases it is changing now, its publishes. */
  private async own(
    target: Target,
    seen: readonly AliasState[],
    known: Readonly<Record<string, unknown>>,
  ): Promise<OwnChanges> {
    const { locks, aliases, store } = this.deps;
    const busy = new Set<string>();
    const written: Record<string, OwnWrite | undefined> = {};
    for (const s of new Set([...seen.map((a) => a.alias), ...Object.keys(known)])) {
      // The lock first, then the memory: a change that finished between the two has written its state by then.
      if (await locks.held(`alias:${target.fn}:${s}`)) busy.add(s);
      const last = (await aliases.recall(target.fn, s)).written;
      if (last) written[s] = { revisionId: last.state.revisionId, routing: last.state.routing, at: last.at };
    }
    const publishing = await locks.held(`publish:${target.fn}`);
    return { written, busy, published: await store.publishedVersions(target.fn), publishing };
  }

  /** The first watch of a function reads every page of versions, once, to know the newest and its page. */
  private async baseline(
    target: Target,
    seen: readonly AliasState[],
    first: Awaited<ReturnType<LambdaGateway['versionsPage']>>,
  ): Promise<FunctionWatch> {
    let page = first;
    let newest = 0;
    for (;;) {
      for (const v of page.versions) newest = Math.max(newest, Number(v.version) || 0);
      if (!page.next) break;
      await this.pace(target);
      page = await this.deps.lambda.versionsPage(target, page.next);
    }
    const at = this.deps.clock.now().toISOString();
    const aliases = Object.fromEntries(
      seen.map((s) => [s.alias, { routing: s.routing, revisionId: s.revisionId, seenAt: at }]),
    );
    return { aliases, newestVersion: newest, ...(page.marker ? { versionsMarker: page.marker } : {}) };
  }

  /** Posts the alerts due, each taken under the watcher's fencing token first, so that none is posted twice. */
  private async post(fence: Fence): Promise<number> {
    const { store, notifier, clock, takeoverMs } = this.deps;
    let posted = 0;
    for (const alert of await store.undelivered(clock.now(), POSTS)) {
      if (!(await fence.stillLeader())) break;
      if (!(await store.take(alert.id, fence.token, clock.now(), takeoverMs))) continue;
      try {
        const fresh = (await store.get(alert.id)) ?? alert;
        const ref = await notifier.post(fresh.channel, { kind: 'outside-alert', alert: fresh });
        await store.delivered(alert.id, ref);
        posted++;
      } catch (error) {
        this.deps.warn('outside-change alert not posted; retried', { alert: alert.id, err: asBotError(error).message });
        await store.giveBack(alert.id, fence.token, new Date(clock.now().getTime() + 15_000)).catch(() => {});
      }
    }
    return posted;
  }

  private pace(target: Target): Promise<void> {
    return this.deps.pace(target.place);
  }
}

function seenAlias(s: AliasState) {
  return { alias: s.alias, routing: s.routing, revisionId: s.revisionId };
}
