import type { AlarmSubject, WatchedAlarm } from '../domain/alarm.js';
import { plainReason } from '../domain/alarm-reason.js';
import { type SeenState, type Transition, transitionOf } from '../domain/alarm-transition.js';
import type { Alert, AlertFacts, DeployContext } from '../domain/alert.js';
import type { Fleet } from '../domain/fleet.js';
import type { Policy } from '../domain/policy-model.js';
import { placeLabel } from '../domain/target.js';
import type { AlarmSource, AlertStore, AuditLog, Clock } from '../ports.js';
import type { AlertContexts } from './alert-context.js';
import type { AlertDelivery, Fence } from './alert-delivery.js';

export interface AlarmWatchDeps {
  readonly fleet: Fleet;
  readonly source: AlarmSource;
  readonly store: AlertStore;
  readonly contexts: AlertContexts;
  readonly delivery: AlertDelivery;
  readonly audit: AuditLog;
  readonly policy: Policy;
  readonly clock: Clock;
  readonly warn?: (message: string, fields: Readonly<Record<string, unknown>>) => void;
  /**
   * Told once per transition into ALARM, by the poller that recorded it, before any message is
   * sent: a rollout watching the alarm is rolled back at once, not after the alert is out.
   */
  readonly onAlarm?: (fn: string, alias: string | undefined, alarm: string) => Promise<void>;
}

export interface SweepReport {
  readonly watched: number;
  readonly raised: number;
  readonly resolved: number;
  readonly sent: number;
  readonly lostLease: boolean;
  /** Accounts and regions whose alarms could not be read this poll, and why: the others were still polled. */
  readonly failed: readonly string[];
}

interface Change {
  readonly watched: WatchedAlarm;
  readonly seen: SeenState | undefined;
  readonly transition: Exclude<Transition, { kind: 'none' }>;
}

/** Alarm changes worked on at once: each may ask AWS for an alias, within Lambda's 15 requests a second. */
const CONCURRENCY = 4;

/**
 * The alarm poller, run by a leader job: one sweep of the watched alarms, each change against
 * the last-seen state recorded once (with its alert or resolution), then the messages owed sent.
 * Recording is a compare-and-set in the store, so pollers that overlap (a leader that lost its
 * lease and does not know yet) still raise each alert once; sending checks the lease first.
 */
export class AlarmWatch {
  private running?: Promise<SweepReport>;

  constructor(private readonly deps: AlarmWatchDeps) {}

  sweep(fence: Fence, budgetMs: number): Promise<SweepReport> {
    const run = this.run(fence, budgetMs);
    this.running = run;
    return run;
  }

  /** Sends nothing more; resolves when the sweep under way has finished. */
  async stop(): Promise<void> {
    this.deps.delivery.stop();
    await this.running?.catch(() => {});
  }

  private async run(fence: Fence, budgetMs: number): Promise<SweepReport> {
    const { source, store, clock, delivery } = this.deps;
    const deadline = clock.now().getTime() + budgetMs;
    const sweep = await source.sweep();
    const { alarms } = sweep;
    const failed = sweep.failed.map((f) => `${placeLabel(f.place)}: ${f.reason}`);
    for (const f of sweep.failed) {
      this.deps.warn?.('alarms of one account and region not read; the others were', {
        place: placeLabel(f.place),
        err: f.reason,
      });
    }
    const seen = await store.seen(alarms.map((w) => w.id));
    const changes: Change[] = [];
    for (const watched of alarms) {
      const before = seen.get(watched.id);
      const transition = transitionOf(before, { state: watched.alarm.state, since: watched.alarm.since });
      if (transition.kind !== 'none') changes.push({ watched, seen: before, transition });
    }
    let raised = 0;
    let resolved = 0;
    if (changes.length > 0 && !(await fence.stillLeader())) {
      return { watched: alarms.length, raised, resolved, sent: 0, lostLease: true, failed };
    }
    // One context per subject and sweep: a storm on one alias asks AWS once.
    const contexts = new Map<string, Promise<DeployContext>>();
    await eachLimit(changes, CONCURRENCY, async (change) => {
      try {
        const effect = await this.apply(change, contexts);
        raised += effect.raised;
        resolved += effect.resolved;
      } catch (error) {
        this.deps.warn?.('alarm change not recorded; it is seen again next poll', {
          alarm: change.watched.alarm.name,
          err: (error as Error).message,
        });
      }
    });
    const { sent, lostLease } = await delivery.deliver(fence, deadline);
    return { watched: alarms.length, raised, resolved, sent, lostLease, failed };
  }

  private async apply(change: Change, contexts: Map<string, Promise<DeployContext>>) {
    const { store, clock } = this.deps;
    const { alarm, subject, id } = change.watched;
    const next: SeenState = { state: alarm.state, since: alarm.since };
    switch (change.transition.kind) {
      case 'remember':
        await store.record(id, change.seen, next, { kind: 'none' });
        return { raised: 0, resolved: 0 };
      case 'alarm': {
        const key = `${subject.fn}\u0000${subject.alias ?? ''}\u0000${subject.version ?? ''}`;
        let context = contexts.get(key);
        if (!context) {
          context = this.deps.contexts.of(subject);
          contexts.set(key, context);
        }
        const facts: AlertFacts = {
          alarm: alarm.name,
          fn: subject.fn,
          where: this.deps.fleet.where(change.watched.place),
          ...(subject.version ? { version: subject.version } : {}),
          reason: plainReason(alarm),
          since: new Date(alarm.since).toISOString(),
          firstSight: change.transition.firstSight,
          channel: this.channelOf(subject),
          raisedAt: clock.now().toISOString(),
          context: await context,
        };
        const result = await store.record(id, change.seen, next, { kind: 'alert', facts });
        if (result.alert) {
          await this.deps.onAlarm?.(subject.fn, subject.alias, alarm.name).catch((error: unknown) =>
            this.deps.warn?.('rollout not rolled back on alarm; the stepper sees the alarm next', {
              alarm: alarm.name,
              err: (error as Error).message,
            }),
          );
          await this.audit('alarm.alert', result.alert, `alarm ${alarm.name}: ${facts.reason}`);
        }
        return { raised: result.alert ? 1 : 0, resolved: 0 };
      }
      case 'ok': {
        const reason = plainReason(alarm);
        const at = new Date(alarm.since).toISOString();
        const result = await store.record(id, change.seen, next, { kind: 'resolve', at, reason });
        for (const alert of result.resolved) {
          await this.audit('alarm.resolve', alert, `alarm ${alarm.name} back to OK: ${reason}`);
        }
        return { raised: 0, resolved: result.resolved.length };
      }
    }
  }

  private channelOf(subject: AlarmSubject): string {
    const { policy } = this.deps;
    return policy.functions.get(subject.fn)?.alertsChannel ?? policy.channels.alerts;
  }

  /** Recorded once, by the poller that recorded the change; its request is the alert's ID. */
  private async audit(action: 'alarm.alert' | 'alarm.resolve', alert: Alert, detail: string): Promise<void> {
    const where = alert.where;
    await this.deps.audit
      .append({
        ...(where ? { ...(where.accountId ? { account: where.accountId } : {}), region: where.region } : {}),
        actor: 'system',
        action,
        function: alert.fn,
        alias: alert.context.alias ?? null,
        from: null,
        to: null,
        result: 'ok',
        detail,
        request: alert.id,
      })
      .catch((error: unknown) =>
        // The alert stands without its record: not alerting because the log failed would be worse.
        this.deps.warn?.('alarm record not written to the audit log', {
          alert: alert.id,
          err: (error as Error).message,
        }),
      );
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
