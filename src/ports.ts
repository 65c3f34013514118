/**
 * The narrow interfaces the services need. Adapters implement them (AWS, Redis, Slack); tests
 * use small in-memory fakes of the same interfaces, checked by the same contract suites.
 */

import type { WatchedAlarm } from './domain/alarm.js';
import type { SeenState } from './domain/alarm-transition.js';
import type { Alert, AlertDecision, AlertFacts, AlertTask } from './domain/alert.js';
import type { ApprovalRequest } from './domain/approval.js';
import type { AuditAction, AuditEntry, AuditRecord, ChainProblem } from './domain/audit.js';
import type { VersionStats } from './domain/judge.js';
import type { Notice } from './domain/notice.js';
import type { Freeze } from './domain/policy.js';
import type { Rollout } from './domain/rollout.js';
import type { Routing } from './domain/routing.js';

// ─── Lambda ────────────────────────────────────────────────────────────────

export interface AliasState {
  readonly fn: string;
  readonly alias: string;
  /** `arn:aws:lambda:REGION:ACCOUNT:function:FN:ALIAS`: tells which Region and account the bot acts in. */
  readonly arn: string;
  readonly routing: Routing;
  /** Changes on every UpdateAlias: the token of optimistic concurrency. */
  readonly revisionId: string;
  readonly description: string;
}

/** A function version's configuration, as much as releases need. Environment values never leave the adapter. */
export interface VersionConfig {
  readonly fn: string;
  /** A number, or `$LATEST`. */
  readonly version: string;
  readonly arn: string;
  readonly description: string;
  readonly codeSha256: string;
  readonly codeSize: number;
  readonly lastModified: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly architectures: readonly string[];
  readonly layers: readonly string[];
  /** Variable name → a fingerprint of its value (a keyed hash): enough to tell "changed", never the value. */
  readonly environment: ReadonlyMap<string, string>;
  readonly revisionId: string;
  readonly state?: string;
  readonly lastUpdateStatus?: string;
  readonly lastUpdateStatusReason?: string;
}

export interface PublishOptions {
  /** AWS refuses the publish if $LATEST's code hash differs. */
  readonly codeSha256?: string;
  readonly description?: string;
  /** AWS refuses the publish if $LATEST changed since it was read. */
  readonly revisionId?: string;
}

/**
 * Lambda's versions and aliases. Errors are BotErrors: `function-not-found`, `alias-not-found`,
 * `version-not-found`, `revision-conflict` (412), `update-in-progress` (409), `code-changed`,
 * `aws-refused` (any other 4xx, with AWS's message), `aws-unavailable`.
 */
export interface LambdaGateway {
  getAlias(fn: string, alias: string): Promise<AliasState>;
  /** Every alias of the function, through all pages. */
  listAliases(fn: string): Promise<AliasState[]>;
  updateAlias(fn: string, alias: string, routing: Routing, revisionId: string): Promise<AliasState>;
  getConfiguration(fn: string, qualifier: string): Promise<VersionConfig>;
  /** Every published version (not $LATEST), through all pages, in AWS's order (ascending). */
  listVersions(fn: string): Promise<VersionConfig[]>;
  publishVersion(fn: string, options: PublishOptions): Promise<VersionConfig>;
}

// ─── Audit log ─────────────────────────────────────────────────────────────

export interface AuditQuery {
  readonly fn: string;
  readonly alias?: string;
  readonly actions?: readonly AuditAction[];
  /** Only records with these results. */
  readonly results?: readonly AuditRecord['result'][];
  readonly limit: number;
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly count: number; readonly problem: ChainProblem };

/**
 * The tamper-evident log. `append` resolves only once the record is durably in the chain; when
 * it cannot be written it rejects with BotError `redis-unavailable`, and the caller must not act.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditRecord>;
  /** Newest first, for one function (and alias). */
  recent(query: AuditQuery): Promise<AuditRecord[]>;
  verify(): Promise<VerifyResult>;
  /** Oldest first; `since` filters on `at`. */
  export(filter: { readonly fn?: string; readonly since?: Date }): AsyncIterable<AuditRecord>;
}

// ─── Approvals and freezes ─────────────────────────────────────────────────

/** Approval requests, replaced only as a whole and only if unchanged since read (compare-and-set on `revision`). */
export interface ApprovalStore {
  create(request: ApprovalRequest): Promise<void>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** Stores `next` if the stored request is still at `current.revision`; false if someone changed it first. */
  replace(current: ApprovalRequest, next: ApprovalRequest): Promise<boolean>;
  /** Requests still pending or approved-but-not-yet-applied, oldest first. */
  open(): Promise<ApprovalRequest[]>;
}

/** Freezes in force: one per function, or per alias. */
export interface FreezeStore {
  list(fn: string): Promise<Freeze[]>;
  /** Sets (or replaces) the freeze of its function or alias. */
  put(freeze: Freeze): Promise<void>;
  /** Lifts the freeze of exactly that function or alias; false if there was none. */
  remove(fn: string, alias?: string): Promise<boolean>;
}

// ─── Rollouts ──────────────────────────────────────────────────────────────

/** Rollouts, one live per alias, replaced only from the revision read (compare-and-set). */
export interface RolloutStore {
  /** False when the alias already has a live rollout. */
  create(rollout: Rollout): Promise<boolean>;
  get(id: string): Promise<Rollout | undefined>;
  replace(current: Rollout, next: Rollout): Promise<boolean>;
  /** Rollouts not yet ended (planned, shifting, paused, baking), oldest first. */
  live(): Promise<Rollout[]>;
}

export interface VersionMetrics extends VersionStats {
  /** Error rate per period, oldest first, for the progress message's sparkline. */
  readonly errorRates: readonly (number | undefined)[];
}

/** Lambda's per-version metrics on an alias (the ExecutedVersion dimension), from CloudWatch. */
export interface MetricSource {
  versions(
    fn: string,
    alias: string,
    versions: readonly string[],
    from: Date,
    to: Date,
  ): Promise<ReadonlyMap<string, VersionMetrics>>;
}

// ─── Coordination ──────────────────────────────────────────────────────────

export interface LockOwner {
  readonly actor: string;
  readonly request: string;
  readonly action: string;
}

export type LockResult =
  | { readonly acquired: true; release(): Promise<void> }
  | { readonly acquired: false; readonly holder: LockOwner };

/** Mutual exclusion across replicas, with an owner token and a TTL so a crashed holder cannot block forever. */
export interface Locks {
  acquire(key: string, owner: LockOwner, ttlMs: number): Promise<LockResult>;
}

/** What the bot knows of an alias without asking AWS: the state it last saw and the state it last wrote. */
export interface AliasMemory {
  recall(fn: string, alias: string): Promise<{ readonly seen?: AliasState; readonly written?: WrittenState }>;
  /** Remember a state read from AWS. */
  saw(state: AliasState): Promise<void>;
  /** Remember a state the bot itself wrote (also counts as seen). */
  wrote(state: AliasState, request: string, at: Date): Promise<void>;
}

export interface WrittenState {
  readonly state: AliasState;
  readonly request: string;
  readonly at: string;
}

/**
 * Leadership of a recurring job across replicas. `acquire` takes or renews the lease and returns
 * its fencing token (a number that grows with every new holder); a holder that lost the lease
 * must stop acting, and `holds` tells it so before any effect that others could duplicate.
 */
export interface Lease {
  acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  holds(name: string, holder: string, token: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

// ─── Slack messages the bot posts on its own ───────────────────────────────

export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Messages the bot posts by itself (approval requests, alerts, rollout progress). Services hand
 * over what to say (`Notice`); the Slack adapter decides how it looks, paces posts per channel
 * and honours Slack's rate limits.
 */
export interface Notifier {
  post(channel: string, notice: Notice, thread?: string): Promise<MessageRef>;
  update(ref: MessageRef, notice: Notice): Promise<void>;
  /** A message only `user` sees. */
  whisper(channel: string, user: string, notice: Notice): Promise<void>;
  permalink(ref: MessageRef): Promise<string | undefined>;
}

// ─── People ────────────────────────────────────────────────────────────────

/** Slack user groups: which of `groups` a user belongs to. */
export interface Directory {
  groupsOf(user: string, groups: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface Clock {
  now(): Date;
  /** Waits, on the same clock: tests drive it with fake timers. */
  sleep(ms: number): Promise<void>;
}

// ─── CloudWatch alarms and their alerts (issue 6) ──────────────────────────

export interface AlarmSweep {
  readonly alarms: readonly WatchedAlarm[];
  /** Alarms the policy names that CloudWatch has neither as metric nor as composite alarms. */
  readonly missing: readonly { readonly name: string; readonly fn: string }[];
}

/**
 * The alarms the policy watches, read in one sweep: DescribeAlarms pages of 100 over all metric
 * alarms (⌈alarms/100⌉ calls, never one per function), plus the composite alarms the policy names,
 * by name. Errors are BotErrors `aws-unavailable` or `aws-refused`.
 */
export interface AlarmSource {
  sweep(): Promise<AlarmSweep>;
}

/** What goes with recording an alarm's new state. */
export type AlertEffect =
  | { readonly kind: 'none' }
  /** A new alert, due to be posted; the store gives it its ID. */
  | { readonly kind: 'alert'; readonly facts: AlertFacts }
  /** The alarm's open alerts are resolved, each due for a reply in its thread. */
  | { readonly kind: 'resolve'; readonly at: string; readonly reason: string };

export interface RecordResult {
  /** False: another poller recorded this change first, and its effect is that poller's. */
  readonly recorded: boolean;
  readonly alert?: Alert;
  readonly resolved: readonly Alert[];
}

/**
 * The alarm states the poller last saw and the alerts it raised, shared by every replica.
 * `record` is where a transition is claimed: a compare-and-set of the alarm's last-seen state
 * together with its effect, so each transition is alerted (or resolved) once however many pollers
 * race. Each message is then claimed with `take` under the poller's fencing token before it is
 * sent. Errors are BotErrors `redis-unavailable` (or `internal`).
 */
export interface AlertStore {
  /** The last state seen of each alarm named; absent: never seen. */
  seen(alarms: readonly string[]): Promise<ReadonlyMap<string, SeenState>>;
  record(alarm: string, expected: SeenState | undefined, next: SeenState, effect: AlertEffect): Promise<RecordResult>;
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
  /** The message went out; for the alert's own message, where it is. */
  delivered(id: string, task: AlertTask, ref?: MessageRef): Promise<void>;
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
