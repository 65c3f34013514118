/** CloudWatch alarms and the alerts raised for them. */
import type { WatchedAlarm } from '../domain/alarm.js';
import type { SeenState } from '../domain/alarm-transition.js';
import type { Alert, AlertDecision, AlertFacts, AlertTask, DeployContext } from '../domain/alert.js';
import type { Place } from '../domain/target.js';
import type { MessageRef } from './slack.js';

export interface AlarmSweep {
  readonly alarms: readonly WatchedAlarm[];
  /** Alarms the policy names that CloudWatch has neither as metric nor as composite alarms. */
  readonly missing: readonly { readonly name: string; readonly fn: string }[];
  /** Places CloudWatch could not be read in (a role not assumed, AWS down), and why: their alarms are unknown. */
  readonly failed: readonly { readonly place: Place; readonly reason: string }[];
}

/**
 * The alarms the policy watches, read in one sweep per (account, region): DescribeAlarms pages of
 * 100 over all metric alarms there (⌈alarms/100⌉ calls, never one per function), plus the composite
 * alarms the policy names, by name. Places are swept in parallel, a few at a time; one that fails
 * is reported in `failed` and the others are still read.
 */
export interface AlarmSource {
  /** Every place of the policy, or only `place`. */
  sweep(place?: Place): Promise<AlarmSweep>;
}

/**
 * What goes with recording an alarm's new state. `at` is when the alarm changed (CloudWatch's
 * clock); `due` when the messages it owes may go (the poller's clock, which delivery reads).
 */
export type AlertEffect =
  | { readonly kind: 'none' }
  /** A new alert, due to be posted at its `raisedAt`; the store gives it its ID. */
  | { readonly kind: 'alert'; readonly facts: AlertFacts }
  /**
   * The alarm's latest alert, open or resolved, is open again, in ALARM for the `count`-th time,
   * with the release context found now; a reply is due in its thread and its message is updated.
   */
  | {
      readonly kind: 'reopen';
      readonly id: string;
      readonly count: number;
      readonly at: string;
      readonly reason: string;
      readonly context: DeployContext;
      readonly due: string;
    }
  /** The alarm's open alerts are resolved, each due for a reply in its thread. */
  | { readonly kind: 'resolve'; readonly at: string; readonly reason: string; readonly due: string }
  /** ALARM → INSUFFICIENT_DATA: the alarm's open alerts stay open, each due for a reply in its thread. */
  | { readonly kind: 'no-data'; readonly at: string; readonly reason: string; readonly due: string };

export interface RecordResult {
  /**
   * False: another poller recorded this change first, and its effect is that poller's; or the
   * alert to reopen is gone (expired), and the next poll raises a new one.
   */
  readonly recorded: boolean;
  /** The alert raised. */
  readonly alert?: Alert;
  readonly reopened?: Alert;
  readonly resolved: readonly Alert[];
  /** The open alerts told the alarm has no data. */
  readonly noted: readonly Alert[];
}

/**
 * The alarm states the poller last saw and the alerts it raised, shared by every replica.
 * `record` is where a transition is claimed: a compare-and-set of the alarm's last-seen state
 * together with its effect, so each transition is alerted (or resolved) once however many pollers
 * race; a reopening compares the same state, so it too happens once. Each message (the alert's
 * own, then its thread replies) is claimed with `take` under the poller's fencing token before it is
 * sent. Errors are BotErrors `redis-unavailable` (or `internal`).
 */
export interface AlertStore {
  /** The last state seen of each alarm named; absent: never seen. */
  seen(alarms: readonly string[]): Promise<ReadonlyMap<string, SeenState>>;
  record(alarm: string, expected: SeenState | undefined, next: SeenState, effect: AlertEffect): Promise<RecordResult>;
  /** The alarm's most recent alert, open or resolved: the one a return to ALARM may reopen. */
  latest(alarm: string): Promise<Alert | undefined>;
  /**
   * Alerts with a message due by `now`, longest due first. A message whose sending failed is due
   * again only from its retry time, so messages that keep failing never crowd out new ones.
   */
  undelivered(now: Date, limit: number): Promise<Alert[]>;
  /**
   * Takes one message of an alert for delivery. True when it was due, or when a poller with an
   * older fencing token took it at least `takeoverMs` ago (that poller lost its lease or died
   * mid-post, and no post of its can still be under way).
   */
  take(id: string, task: AlertTask, token: number, now: Date, takeoverMs: number): Promise<boolean>;
  /** The alert's own message went out, and is at `ref`. */
  delivered(id: string, task: 'post', ref: MessageRef): Promise<void>;
  /**
   * The thread notes up to `upTo` (their `seq`) went out in one reply. Notes recorded since stay
   * due, so the thread task is due again at once.
   */
  delivered(id: string, task: 'thread', upTo: number): Promise<void>;
  /**
   * Sending failed: the message is due again at `retryAt`, and the alert counts one more failure.
   * Only the token that took it can give it back.
   */
  giveBack(id: string, task: AlertTask, token: number, retryAt: Date): Promise<void>;
  get(id: string): Promise<Alert | undefined>;
  /**
   * Records a click's decision unless one already settles it (a rollback is recorded once; an
   * acknowledgement once, and not after a rollback). Answers the alert as it now is.
   */
  decide(id: string, decision: AlertDecision): Promise<{ readonly decided: boolean; readonly alert?: Alert }>;
}
