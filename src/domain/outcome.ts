/**
 * What a command has to tell the user, independent of Slack. Services return these;
 * `adapters/slack/render` turns them into Block Kit.
 */

import type { AlarmStateValue } from './alarm.js';
import type { ApprovalRequest } from './approval.js';
import type { AuditRecord } from './audit.js';
import type { Bypass } from './breakglass.js';
import type { VersionDiff } from './diff.js';
import type { GateCheck } from './gates.js';
import type { Freeze } from './policy.js';
import type { Rollout } from './rollout.js';
import type { Routing } from './routing.js';
import type { Where } from './target.js';

export interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
}

/** The alias was found changed by someone other than the bot since the bot last wrote it. */
export interface Drift {
  /** What the bot last set, and when. */
  readonly expected: Routing;
  readonly since: string;
  /** What the alias held instead. */
  readonly found: Routing;
}

export interface AliasChanged {
  readonly kind: 'alias-changed';
  readonly action: 'promote' | 'shift' | 'rollback';
  readonly fn: string;
  readonly alias: string;
  /** The account and region of the function. */
  readonly where: Where;
  readonly actor: string;
  readonly before: Routing;
  readonly after: Routing;
  readonly drift?: Drift;
  readonly reason?: string;
  /** A version that lost its share of traffic as a side effect (shift of a third version). */
  readonly displaced?: { readonly version: string; readonly weight: number };
  readonly auditId: string;
  /** The change was made but its outcome record could not be written (Redis went away). */
  readonly unrecorded?: boolean;
  /** Made with break-glass (CONTRACT §11): why, what it went past, and its record for review. */
  readonly breakGlass?: BreakGlassUse;
}

export interface BreakGlassUse {
  readonly reason: string;
  readonly bypassed: readonly Bypass[];
  readonly id?: string;
}

export interface Published {
  readonly kind: 'published';
  readonly fn: string;
  readonly where: Where;
  readonly actor: string;
  readonly version: string;
  readonly description: string;
  readonly codeSha256: string;
  /** AWS returned an existing version: nothing changed since it. */
  readonly unchanged: boolean;
  readonly waitedMs: number;
  readonly auditId: string;
  readonly unrecorded?: boolean;
}

export interface AliasView {
  readonly alias: string;
  readonly routing: Routing;
  readonly description: string;
  readonly protected: boolean;
  /** In the policy file: writes are possible. */
  readonly managed: boolean;
  readonly lastChange?: AuditRecord;
  readonly drift?: Drift;
}

export interface Status {
  readonly kind: 'status';
  readonly fn: string;
  /** The function's account and region, and its name there when it differs from `fn`. */
  readonly where: Where;
  readonly awsName: string;
  /** Not in the policy file: shown, never changed. */
  readonly managed: boolean;
  readonly aliases: readonly AliasView[];
  readonly freezes: readonly Freeze[];
  /** Approval requests still open for this function. */
  readonly approvals: readonly ApprovalRequest[];
  /** Rollouts under way (or waiting for approval) on this function. */
  readonly rollouts: readonly Rollout[];
  /** Redis did not answer: the last changes and drift are unknown. */
  readonly auditUnavailable: boolean;
  /** The function's watched alarms (issue 6); absent where the command did not look. */
  readonly alarms?: AlarmStates;
  /** `status FN:ALIAS` of an alias with gates: its candidate and checklist (CONTRACT §11). */
  readonly gates?: GatesView;
}

/** An alias's promotion gates judged for its candidate: the version the alias the gates name serves. */
export interface GatesView {
  readonly alias: string;
  readonly candidate?: string;
  /** The alias the candidate comes from. */
  readonly from?: string;
  readonly checks?: readonly GateCheck[];
  /** Why there is no candidate to judge. */
  readonly note?: string;
}

export interface VersionLine {
  readonly version: string;
  readonly description: string;
  readonly codeSha256: string;
  readonly lastModified: string;
  /** Aliases sending traffic to this version, with their share. */
  readonly aliases: readonly { readonly alias: string; readonly weight: number }[];
}

export interface Versions {
  readonly kind: 'versions';
  readonly fn: string;
  readonly total: number;
  readonly versions: readonly VersionLine[];
}

export interface Diff extends VersionDiff {
  readonly kind: 'diff';
  readonly fn: string;
  readonly from: string;
  readonly to: string;
}

export interface History {
  readonly kind: 'history';
  readonly fn: string;
  readonly alias?: string;
  readonly records: readonly AuditRecord[];
  /** The answer reached back to where Redis was trimmed: older records are in the archive only (CONTRACT §14). */
  readonly olderInArchive?: true;
}

export interface AuditVerified {
  readonly kind: 'audit-verified';
  readonly ok: boolean;
  readonly count: number;
  readonly problem?: { readonly id: string; readonly reason: string };
  /** The first record checked, when Redis was trimmed (earlier ones are in the archive). */
  readonly from?: number;
}

/** A change on a protected alias became an approval request. */
export interface ApprovalRequested {
  readonly kind: 'approval-requested';
  readonly fn: string;
  readonly where: Where;
  readonly alias: string;
  readonly action: string;
  readonly version: string;
  readonly id: string;
  readonly channel: string;
  readonly link?: string;
  readonly expiresAt: string;
  readonly requiredApprovals: number;
  readonly approverRoles: readonly string[];
}

export interface FreezeChanged {
  readonly kind: 'freeze-changed';
  readonly frozen: boolean;
  readonly fn: string;
  readonly alias?: string;
  readonly actor: string;
  readonly reason?: string;
}

/** A rollout was planned and started (or is waiting for approval: see ApprovalRequested). */
export interface RolloutStarted {
  readonly kind: 'rollout-started';
  readonly fn: string;
  readonly where: Where;
  readonly alias: string;
  readonly summary: string;
  readonly channel: string;
  readonly link?: string;
  /** Watched alarms already in ALARM when it started. */
  readonly alarming: readonly string[];
  readonly breakGlass?: BreakGlassUse;
}

export type Outcome =
  | { readonly kind: 'help'; readonly commands: readonly CommandHelp[] }
  | AliasChanged
  | Published
  | Status
  | Versions
  | Diff
  | History
  | AuditVerified
  | ApprovalRequested
  | FreezeChanged
  | RolloutStarted
  /** A short answer to one person (e.g. to the click of a button). */
  | { readonly kind: 'note'; readonly text: string }
  | Alarms;

// ─── Alarms (issue 6) ──────────────────────────────────────────────────────

/** One watched alarm and its state now. */
export interface AlarmLine {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmStateValue;
  /** When the state began (ISO). */
  readonly since: string;
  /** Why it is in that state, in plain words. */
  readonly reason: string;
  readonly alias?: string;
  readonly version?: string;
}

export interface AlarmStates {
  /** ALARM first, then INSUFFICIENT_DATA, then OK; by name within each. */
  readonly lines: readonly AlarmLine[];
  /** Alarms the policy names that CloudWatch does not have. */
  readonly missing: readonly string[];
  /** CloudWatch did not answer: why the states are not shown. */
  readonly unavailable?: string;
}

/** `alarms FN`. */
export interface Alarms {
  readonly kind: 'alarms';
  readonly fn: string;
  /** FN is in the policy file: only then does the bot watch its alarms. */
  readonly watched: boolean;
  readonly states: AlarmStates;
}
