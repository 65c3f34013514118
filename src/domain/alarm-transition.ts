/**
 * What a poll means for one alarm, given the state the bot saw last. The bot remembers one
 * state per alarm (value and when it began), so a restart or a new leader continues where the
 * last poll stopped: it neither repeats an alert nor misses a change.
 */
import type { AlarmStateValue } from './alarm.js';

export interface SeenState {
  readonly state: AlarmStateValue;
  /** When that state began (epoch ms), as CloudWatch reports it. */
  readonly since: number;
}

export type Transition =
  /** Nothing happened since the last poll. */
  | { readonly kind: 'none' }
  /** Remember the new state; nobody needs telling (OK or INSUFFICIENT_DATA seen first, or data went missing while OK). */
  | { readonly kind: 'remember' }
  /**
   * The alarm went into ALARM, or was already there the first time the bot saw it: alert, or
   * reopen its latest alert when it came back soon enough (alarm-repeat.ts decides which).
   */
  | { readonly kind: 'alarm'; readonly firstSight: boolean }
  /** The alarm went back to OK: resolve its open alerts. */
  | { readonly kind: 'ok' }
  /** From ALARM to INSUFFICIENT_DATA: its open alerts say so in their threads, and stay open. */
  | { readonly kind: 'no-data' };

/**
 * @example transitionOf({ state: 'OK', since: 1 }, { state: 'ALARM', since: 2 }) → { kind: 'alarm', firstSight: false }
 * @example transitionOf(undefined, { state: 'ALARM', since: 2 }) → { kind: 'alarm', firstSight: true }
 * @example transitionOf({ state: 'ALARM', since: 1 }, { state: 'INSUFFICIENT_DATA', since: 2 }) → { kind: 'no-data' }
 */
export function transitionOf(seen: SeenState | undefined, now: SeenState): Transition {
  if (seen && seen.state === now.state && seen.since === now.since) return { kind: 'none' };
  // A new `since` with the same value means the alarm left and came back between two polls: back
  // in ALARM is one more return, the same as one the poller saw whole.
  if (now.state === 'ALARM') return { kind: 'alarm', firstSight: seen === undefined };
  if (now.state === 'OK' && seen !== undefined) return { kind: 'ok' };
  // Data missing while in ALARM says nothing of the incident's end: the alert stays open.
  if (now.state === 'INSUFFICIENT_DATA' && seen?.state === 'ALARM') return { kind: 'no-data' };
  return { kind: 'remember' };
}

/** The stored form, compared as a whole: `ALARM|1764165180000`. */
export function encodeSeen(seen: SeenState): string {
  return `${seen.state}|${seen.since}`;
}

export function decodeSeen(text: string): SeenState | undefined {
  const [state, since] = text.split('|');
  if (state !== 'OK' && state !== 'ALARM' && state !== 'INSUFFICIENT_DATA') return undefined;
  const ms = Number(since);
  return Number.isFinite(ms) ? { state, since: ms } : undefined;
}
