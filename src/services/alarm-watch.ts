import { transitionOf } from '../domain/alarm-transition.js';
import type { DeployContext } from '../domain/alert.js';
import type { Fleet } from '../domain/fleet.js';
import type { Policy } from '../domain/policy-model.js';
import { placeLabel } from '../domain/target.js';
import type { AlarmSource, AlertStore, AuditLog, Clock } from '../ports.js';
import { AlarmChanges, type Change } from './alarm-changes.js';
import type { AlertContexts } from './alert-context.js';
import type { AlertDelivery, Fence } from './alert-delivery.js';

/** A rollout rolled back on an alarm: its alias, and the version it went back to. */
export interface RolledBack {
  readonly alias: string;
  readonly version: string;
}

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
   * Told once per transition into ALARM (a new alert or a reopened one), by the poller that
   * recorded it, before any message is sent: a rollout watching the alarm is rolled back at once,
   * not after the alert is out.
   */
  readonly onAlarm?: (fn: string, alias: string | undefined, alarm: string) => Promise<readonly RolledBack[]>;
}

export interface SweepReport {
  readonly watched: number;
  readonly raised: number;
  /** Alerts reopened: their alarm came back within realert_after (flapping). */
  readonly reopened: number;
  readonly resolved: number;
  /** Open alerts told their alarm went from ALARM to INSUFFICIENT_DATA. */
  readonly noted: number;
  readonly sent: number;
  readonly lostLease: boolean;
  /** Accounts and regions whose alarms could not be read this poll, and why: the others were still polled. */
  readonly failed: readonly string[];
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
  private readonly changes: AlarmChanges;

  constructor(private readonly deps: AlarmWatchDeps) {
    this.changes = new AlarmChanges(deps);
  }

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
    const counts = { raised: 0, reopened: 0, resolved: 0, noted: 0 };
    if (changes.length > 0 && !(await fence.stillLeader())) {
      return { watched: alarms.length, ...counts, sent: 0, lostLease: true, failed };
    }
    // One context per subject and sweep: a storm on one alias asks AWS once.
    const contexts = new Map<string, Promise<DeployContext>>();
    await eachLimit(changes, CONCURRENCY, async (change) => {
      try {
        const effect = await this.changes.apply(change, contexts);
        for (const key of ['raised', 'reopened', 'resolved', 'noted'] as const) counts[key] += effect[key];
      } catch (error) {
        this.deps.warn?.('alarm change not recorded; it is seen again next poll', {
          alarm: change.watched.alarm.name,
          err: (error as Error).message,
        });
      }
    });
    const { sent, lostLease } = await delivery.deliver(fence, deadline);
    return { watched: alarms.length, ...counts, sent, lostLease, failed };
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
