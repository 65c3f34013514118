/**
 * Durations as people type them in Slack and in the policy file: `500ms`, `30s`, `5m`, `1h`,
 * or a compound of those from the largest unit down (`1h30m`).
 */

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const ORDER: readonly Unit[] = ['h', 'm', 's', 'ms'];
const PART = /(\d{1,9})(ms|h|m|s)/y;

/**
 * Parses a duration into milliseconds, or returns undefined when the text is not one.
 * @example parseDuration('5m') === 300_000; parseDuration('1h30m') === 5_400_000; parseDuration('5') === undefined
 */
export function parseDuration(text: string): number | undefined {
  if (text.length === 0 || text.length > 40) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let lastRank = -1;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    const unit = match[2] as Unit;
    const rank = ORDER.indexOf(unit);
    // Units must go from larger to smaller, each once: "30s5m" is more likely a typo than an intent.
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * Formats milliseconds the way people read them: `5m`, `1h 30m`, `45s`, `500ms`.
 * @example formatDuration(5_400_000) === '1h 30m'
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, seconds] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join(' ');
}

/** A long period as the policy writes it: calendar years (`7y`) or days (`30d`), or a duration (`12h`). */
export type Period =
  | { readonly unit: 'years'; readonly n: number }
  | { readonly unit: 'days'; readonly n: number }
  | { readonly unit: 'ms'; readonly n: number };

/**
 * Parses a retention period. Years are calendar years (an Object Lock retain-until date lands on
 * the same day of the year, leap days or not); days are 24 hours. Kept apart from parseDuration,
 * which Slack commands use and where `1d` is refused on purpose.
 * @example parsePeriod('7y') → { unit: 'years', n: 7 }; parsePeriod('30d') → { unit: 'days', n: 30 }
 */
export function parsePeriod(text: string): Period | undefined {
  const m = /^(\d{1,5})([yd])$/.exec(text);
  if (m) return { unit: m[2] === 'y' ? 'years' : 'days', n: Number(m[1]) };
  const ms = parseDuration(text);
  return ms === undefined ? undefined : { unit: 'ms', n: ms };
}

/** The moment `period` after `from`. @example addPeriod(new Date('2024-02-29Z'), { unit: 'years', n: 1 }) → 2025-03-01 */
export function addPeriod(from: Date, period: Period): Date {
  const to = new Date(from.getTime());
  if (period.unit === 'years') to.setUTCFullYear(to.getUTCFullYear() + period.n);
  else to.setTime(to.getTime() + (period.unit === 'days' ? period.n * 86_400_000 : period.n));
  return to;
}

/** A period's length in milliseconds, years counted as 365 days: for bounds and windows, not for dates. */
export function periodMs(period: Period): number {
  if (period.unit === 'years') return period.n * 365 * 86_400_000;
  return period.unit === 'days' ? period.n * 86_400_000 : period.n;
}
