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
}

export interface FunctionPolicy {
  readonly alertsChannel?: string;
  /** Alarm names watched in addition to those found by their FunctionName dimension. */
  readonly alarms: readonly string[];
  readonly aliases: ReadonlyMap<string, AliasPolicy>;
}

export interface Policy {
  readonly channels: { readonly approvals: string; readonly alerts: string };
  readonly approvalTtlMs: number;
  readonly alarmPollIntervalMs: number;
  /** Role name → Slack user IDs (U…/W…) and user-group IDs (S…). */
  readonly roles: ReadonlyMap<string, readonly string[]>;
  readonly functions: ReadonlyMap<string, FunctionPolicy>;
}
