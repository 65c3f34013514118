/** Changes made outside the bot: what the watch knows, the alerts it raised, and CloudTrail (CONTRACT §10). */
import type { FunctionWatch } from '../domain/outside.js';
import type { OutsideAlert, OutsideDecision, OutsideFacts, WhoState } from '../domain/outside-alert.js';
import type { Target } from '../domain/target.js';
import type { TrailEvent } from '../domain/trail.js';
import type { MessageRef } from './slack.js';

/**
 * The watch's state per function and the alerts it raised, shared by every replica. `record` is where a
 * change is claimed: a compare-and-set of the function's watch state together with its alerts, so each
 * change is alerted once however many watchers race; each alert's post is then taken under the
 * watcher's fencing token before it is sent. Errors are BotErrors `redis-unavailable` (or `internal`).
 */
export interface OutsideStore {
  /** The function's watch state and its revision (0: never watched). */
  watch(fn: string): Promise<{ readonly state?: FunctionWatch; readonly rev: number }>;
  /**
   * Stores `next` (and creates `alerts`, due to be posted from `at`) if the state is still at `rev`;
   * false when another watcher moved it first.
   */
  record(
    fn: string,
    rev: number,
    next: FunctionWatch,
    alerts: readonly OutsideFacts[],
    at: Date,
  ): Promise<{ readonly recorded: boolean; readonly alerts: readonly OutsideAlert[] }>;
  /** A version the bot published itself: the watch never reports it. */
  published(fn: string, version: string): Promise<void>;
  publishedVersions(fn: string): Promise<ReadonlySet<string>>;
  /** Alerts whose post is due by `now`. */
  undelivered(now: Date, limit: number): Promise<OutsideAlert[]>;
  take(id: string, token: number, now: Date, takeoverMs: number): Promise<boolean>;
  delivered(id: string, ref: MessageRef): Promise<void>;
  giveBack(id: string, token: number, retryAt: Date): Promise<void>;
  get(id: string): Promise<OutsideAlert | undefined>;
  /** Alerts still looking for who made their change, oldest first. */
  looking(limit: number): Promise<OutsideAlert[]>;
  /** Records who made the change (or that it cannot be known); false if the alert has an answer already. */
  identify(id: string, who: WhoState): Promise<boolean>;
  /** Records a decision unless one settles it already (a revert or an accept, once). */
  decide(id: string, decision: OutsideDecision): Promise<{ readonly decided: boolean; readonly alert?: OutsideAlert }>;
}

/**
 * CloudTrail's event history of a function in its account and region, read as the bot's session.
 * `denied`: the bot may not read CloudTrail there (the alert then says "identity unknown").
 */
export interface TrailSource {
  events(target: Target, since: Date): Promise<readonly TrailEvent[] | 'denied'>;
}
