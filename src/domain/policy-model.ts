import type { Period } from './duration.js';
import type { AliasGates } from './gates.js';
import type { JudgeThresholds } from './judge.js';

/**
 * The policy file as the rest of the bot sees it: who may do what, to which aliases, where
 * requests and alerts go. Built once from YAML by `config/policy.ts`.
 */

export interface AliasPolicy {
  /** Promote, shift and canary need approval. */
  readonly protected: boolean;
  readonly requiredApprovals: number;
  /** Role names whose members may approve. */
  readonly approvers: readonly string[];
  /** Approval requests for this alias go here instead of the default approvals channel. */
  readonly approvalsChannel?: string;
  /** Canary-vs-baseline thresholds for `canary --judge` on this alias (defaults filled in). */
  readonly judge: JudgeThresholds;
  /** A change made outside the bot: alerted, or also put back at once (CONTRACT §10). */
  readonly outsideChanges: 'alert' | 'revert';
  /** What a version must have shown before promote, shift or canary moves this alias to it (CONTRACT §11). */
  readonly gates?: AliasGates;
}

export interface FunctionPolicy {
  /** The function's name in AWS; the policy key is the name people type (CONTRACT §9). */
  readonly name: string;
  /** A name in `accounts`; absent: the bot's own account and credentials. */
  readonly account?: string;
  /** Absent: the default region (AWS_REGION). */
  readonly region?: string;
  readonly alertsChannel?: string;
  /** Alarm names watched in addition to those found by their FunctionName dimension. */
  readonly alarms: readonly string[];
  readonly aliases: ReadonlyMap<string, AliasPolicy>;
}

/** An account the bot reaches by assuming a role in it (CONTRACT §9). */
export interface AccountPolicy {
  /** 12 digits. */
  readonly id: string;
  readonly roleArn: string;
  readonly externalId?: string;
}

/** Where and how the audit chain is archived (CONTRACT §14): a bucket with Object Lock. */
export interface AuditArchivePolicy {
  readonly bucket: string;
  /** Empty, or ending with '/'. */
  readonly prefix: string;
  /** A name in `accounts`; absent: the bot's own account. */
  readonly account?: string;
  /** Absent: the default region. */
  readonly region?: string;
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  /** How long each segment is locked (its retain-until date: when written + this). */
  readonly retain: Period;
  /** A segment is cut once its oldest record is this old… */
  readonly intervalMs: number;
  /** …or once this many records wait, whichever first. */
  readonly maxRecords: number;
  /** An archive lagging this far behind is alerted in the alerts channel. */
  readonly alertLagMs: number;
}

export interface Policy {
  /** Account name → how to reach it; empty when every function is in the bot's own account. */
  readonly accounts: ReadonlyMap<string, AccountPolicy>;
  readonly channels: { readonly approvals: string; readonly alerts: string };
  readonly approvalTtlMs: number;
  /** A break-glass change not reviewed within this time gets a reminder, then one a day (CONTRACT §11). */
  readonly breakglassReviewMs: number;
  readonly alarmPollIntervalMs: number;
  /** How often the watch of changes made outside the bot runs (CONTRACT §10). */
  readonly watchIntervalMs: number;
  /**
   * An alarm back in ALARM within this time of its alert's last ALARM reopens that alert (flapping)
   * instead of getting a new one (a new incident).
   */
  readonly realertAfterMs: number;
  /** Role name → Slack user IDs (U…/W…) and user-group IDs (S…). */
  readonly roles: ReadonlyMap<string, readonly string[]>;
  readonly functions: ReadonlyMap<string, FunctionPolicy>;
  /** Absent: nothing is archived, and nothing is ever trimmed from Redis. */
  readonly auditArchive?: AuditArchivePolicy;
  /**
   * Records stay in Redis at least this long (ms); older ones are trimmed once archived. Absent in
   * policies built by hand (tests): 30 days. Meaningful only with `auditArchive`.
   */
  readonly auditRetainInRedisMs?: number;
}
