import type { Snapshot } from '../domain/audit.js';
import { type Routing, weightsOf } from '../domain/routing.js';

/** An alias's routing as the audit log records it. */
export function snapshot(routing: Routing): Snapshot {
  return { version: routing.primary, weights: weightsOf(routing) };
}

/** Audit actions that change an alias's traffic: the history `rollback` reads. */
export const CHANGE_ACTIONS = [
  'promote',
  'shift',
  'rollback',
  'canary.step',
  'canary.abort',
  'canary.complete',
  'outside.revert',
] as const;
