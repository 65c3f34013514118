/** What the bot keeps in Redis about requests, freezes, rollouts and aliases. */

import type { ApprovalRequest } from '../domain/approval.js';
import type { BreakGlass } from '../domain/breakglass.js';
import type { Freeze } from '../domain/policy.js';
import type { Rollout } from '../domain/rollout.js';
import type { AliasState } from './lambda.js';

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

/** Rollouts, one live per alias, replaced only from the revision read (compare-and-set). */
export interface RolloutStore {
  /** False when the alias already has a live rollout. */
  create(rollout: Rollout): Promise<boolean>;
  get(id: string): Promise<Rollout | undefined>;
  replace(current: Rollout, next: Rollout): Promise<boolean>;
  /** Rollouts not yet ended (planned, shifting, paused, baking), oldest first. */
  live(): Promise<Rollout[]>;
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

/** Break-glass changes (CONTRACT §11); open until reviewed. Replaced whole, from the revision read. */
export interface BreakGlassStore {
  create(record: BreakGlass): Promise<void>;
  get(id: string): Promise<BreakGlass | undefined>;
  replace(current: BreakGlass, next: BreakGlass): Promise<boolean>;
  /** Not yet reviewed, oldest first. */
  open(): Promise<BreakGlass[]>;
}
