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
