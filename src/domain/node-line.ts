/**
 * Which Node.js lines the bot is past the end of life of. The bot is tested on 20 (while the machines
 * that test it run it), 22 and 24; the AWS SDK's releases from January 2027 need 22 or newer, so a line
 * below 22 is one to move off, and the bot says so once at start.
 */

/** When each line below 22 left maintenance (nodejs.org/en/about/previous-releases). */
const END_OF_LIFE: Readonly<Record<number, string>> = {
  18: 'April 2025',
  19: 'June 2023',
  20: 'April 2026',
  21: 'June 2024',
};

/** The oldest line that is still maintained and that the SDK's coming releases run on. */
export const OLDEST_MAINTAINED_LINE = 22;

export interface PastEndOfLife {
  readonly line: number;
  /** Month and year, as nodejs.org gives it. */
  readonly endOfLife: string;
}

/**
 * The line of a Node.js version (`process.versions.node`, with or without its `v`) and when it left
 * maintenance, when it is older than OLDEST_MAINTAINED_LINE; undefined for a maintained line.
 *
 * @example pastEndOfLife('20.19.5') // { line: 20, endOfLife: 'April 2026' }
 * @example pastEndOfLife('v24.11.0') // undefined
 */
export function pastEndOfLife(version: string): PastEndOfLife | undefined {
  const line = Number.parseInt(version.replace(/^v/, ''), 10);
  if (!Number.isInteger(line) || line >= OLDEST_MAINTAINED_LINE) return undefined;
  return { line, endOfLife: END_OF_LIFE[line] ?? 'before April 2025' };
}
