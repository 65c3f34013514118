/**
 * Flapping or a new incident: whether an alarm back in ALARM reopens the alert it already has (it
 * came back within `realert_after` of that alert's last ALARM) or gets a new one, and the words an
 * alert uses to tell the two apart. Times are CloudWatch's (when the alarm changed state), never
 * the poller's: a late or restarted poller decides as a timely one would, and a slow Slack does
 * not turn flapping into new incidents.
 */
import type { ThreadNote } from './alert.js';

/** What the decision needs of the alarm's latest alert, open or resolved. */
export interface LastAlert {
  readonly id: string;
  /** Times the alarm went into ALARM for it: 1, and one more each time it was reopened. */
  readonly count: number;
  /** When the alarm last went into ALARM for it (ISO, CloudWatch's clock). */
  readonly lastAlarmAt: string;
}

/** The alarm's alert before a new one: kept with the new one, which then says it is a new incident. */
export interface PreviousAlert {
  readonly id: string;
  readonly lastAlarmAt: string;
  /** `realert_after` when the new alert was raised, so the message can say what "too long ago" was. */
  readonly realertAfterMs: number;
}

export type IntoAlarm =
  /** A new incident: a new alert, after `previous` when the alarm had one. */
  | { readonly kind: 'raise'; readonly previous?: PreviousAlert }
  /** Flapping: the latest alert is reopened (whether still open or resolved) and counts once more. */
  | { readonly kind: 'reopen'; readonly id: string; readonly count: number }
  /** This very ALARM was alerted already (its last-seen state was lost): nothing more to tell. */
  | { readonly kind: 'known' };

/**
 * What an alarm going into ALARM at `since` (epoch ms) does, given its latest alert.
 * @example intoAlarm({ id: 'al1', count: 2, lastAlarmAt: '…14:00:00Z' }, Date.parse('…14:04:00Z'), 600_000)
 *   → { kind: 'reopen', id: 'al1', count: 3 }
 * @example intoAlarm(sameLast, Date.parse('…14:30:00Z'), 600_000)
 *   → { kind: 'raise', previous: { id: 'al1', lastAlarmAt: '…14:00:00Z', realertAfterMs: 600_000 } }
 */
export function intoAlarm(last: LastAlert | undefined, since: number, realertAfterMs: number): IntoAlarm {
  if (!last) return { kind: 'raise' };
  const lastAt = Date.parse(last.lastAlarmAt);
  if (since <= lastAt) return { kind: 'known' };
  if (since - lastAt <= realertAfterMs) return { kind: 'reopen', id: last.id, count: last.count + 1 };
  return { kind: 'raise', previous: { id: last.id, lastAlarmAt: last.lastAlarmAt, realertAfterMs } };
}

/** What an alert knows of its own history: enough to tell flapping from a new incident. */
export interface EpisodeFacts {
  /** When the alarm first went into ALARM for this alert (ISO). */
  readonly since: string;
  readonly count: number;
  readonly lastAlarmAt: string;
  readonly previous?: PreviousAlert;
}

export type Episode =
  /** The alarm's first alert (as far as the bot remembers): nothing to tell apart. */
  | { readonly kind: 'first' }
  | { readonly kind: 'flapping'; readonly count: number; readonly spanMs: number }
  | { readonly kind: 'new-incident'; readonly gapMs: number; readonly realertAfterMs: number };

/**
 * @example episodeOf({ since: '…14:00:00Z', count: 3, lastAlarmAt: '…14:04:00Z' }) → { kind: 'flapping', count: 3, spanMs: 240_000 }
 */
export function episodeOf(alert: EpisodeFacts): Episode {
  if (alert.count > 1) {
    return { kind: 'flapping', count: alert.count, spanMs: Date.parse(alert.lastAlarmAt) - Date.parse(alert.since) };
  }
  if (alert.previous) {
    const gapMs = Date.parse(alert.since) - Date.parse(alert.previous.lastAlarmAt);
    return { kind: 'new-incident', gapMs, realertAfterMs: alert.previous.realertAfterMs };
  }
  return { kind: 'first' };
}

/**
 * The line of the alert message that tells flapping from a new incident; undefined for a first alert.
 * @example episodeWords({ kind: 'flapping', count: 5, spanMs: 160_000 })
 *   === 'Flapping: in ALARM 5 times in 3 min; each return reopened this alert instead of posting a new one'
 */
export function episodeWords(episode: Episode): string | undefined {
  switch (episode.kind) {
    case 'first':
      return undefined;
    case 'flapping':
      return `Flapping: in ALARM ${episode.count} times in ${spanWords(episode.spanMs)}; each return reopened this alert instead of posting a new one`;
    case 'new-incident':
      return `New incident: the previous alert of this alarm was ${spanWords(episode.gapMs)} earlier, more than realert_after (${spanWords(episode.realertAfterMs)})`;
  }
}

/**
 * How often an alert's alarm has been in ALARM, and over how long, as its thread says it.
 * @example repeatWords(3, '…14:00:00Z', '…14:04:00Z') === '3rd time in 4 min: flapping'
 */
export function repeatWords(count: number, firstAt: string, at: string): string {
  return `${ordinal(count)} time in ${spanWords(Date.parse(at) - Date.parse(firstAt))}: flapping`;
}

/**
 * A thread note in plain words (a notification's text); `since` is when the alert's alarm first
 * went into ALARM.
 * @example noteWords('orders-errors', '…14:00:00Z', { kind: 'reopened', count: 3, at: '…14:04:00Z', … })
 *   === 'orders-errors is back in ALARM — 3rd time in 4 min: flapping'
 */
export function noteWords(alarm: string, since: string, note: ThreadNote): string {
  switch (note.kind) {
    case 'resolved':
      return `${alarm} is back to OK`;
    case 'reopened':
      return `${alarm} is back in ALARM — ${repeatWords(note.count, since, note.at)}`;
    case 'no-data':
      return `${alarm} went to INSUFFICIENT_DATA; the alert stays open`;
  }
}

/**
 * A count as people say it.
 * @example ordinal(2) === '2nd'; ordinal(11) === '11th'; ordinal(23) === '23rd'
 */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * A stretch of time as an alert says it, rounded to what matters at that size.
 * @example spanWords(40_000) === '40 s'; spanWords(160_000) === '3 min'; spanWords(7_500_000) === '2 h 5 min'
 */
export function spanWords(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
