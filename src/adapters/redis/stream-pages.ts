import type { RedisClient } from './client.js';

/** A stream entry as ioredis returns it: the entry ID and its fields as a flat list. */
export type StreamEntry = [id: string, fields: string[]];

export interface PageOptions {
  /** `forward` reads oldest first (XRANGE), `backward` newest first (XREVRANGE). */
  readonly direction: 'forward' | 'backward';
  /** Entries per round trip. */
  readonly count: number;
  /** The last entry ID to read (inclusive); default: the end of the stream in that direction. */
  readonly until?: string;
  /** Read only entries after this ID (exclusive), in the direction of reading. */
  readonly after?: string;
}

/**
 * A stream, page by page, so that a long log is never held in memory at once. Each page starts
 * after the last ID of the one before (exclusive ranges, Redis ≥ 6.2), so entries added while
 * reading are picked up and none is read twice.
 */
export async function* streamPages(
  redis: RedisClient,
  key: string,
  options: PageOptions,
): AsyncGenerator<StreamEntry[]> {
  const forward = options.direction === 'forward';
  const until = options.until ?? (forward ? '+' : '-');
  let start = options.after === undefined ? (forward ? '-' : '+') : `(${options.after}`;
  for (;;) {
    const page = (
      forward
        ? await redis.xrange(key, start, until, 'COUNT', options.count)
        : await redis.xrevrange(key, start, until, 'COUNT', options.count)
    ) as StreamEntry[];
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (last === undefined || page.length < options.count) return;
    start = `(${last[0]}`;
  }
}

/** One field of an entry's flat field list. */
export function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The number part of an entry ID: `42-0` → 42. The audit log stores record N as entry `N-0`. */
export function entryNumber(entryId: string): number {
  return Number(entryId.split('-')[0]);
}
