import type { ChangeFeed, Clock, FeedCursor, HomeViewers } from '../../src/ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who opened Home, in memory: the same trimming as Redis (a day after the newest write). */
export class MemoryHomeViewers implements HomeViewers {
  readonly at = new Map<string, number>();

  async opened(user: string, at: Date): Promise<void> {
    const ms = at.getTime();
    this.at.set(user, Math.max(ms, this.at.get(user) ?? 0));
    for (const [u, t] of this.at) if (t < ms - DAY_MS) this.at.delete(u);
  }

  async since(since: Date): Promise<string[]> {
    return [...this.at].filter(([, t]) => t >= since.getTime()).map(([u]) => u);
  }
}

/** A change feed over a counter: `append` is a new audit record; `next` waits on the clock. */
export class MemoryChangeFeed implements ChangeFeed {
  private count = 0;
  private publishedAt: FeedCursor | undefined;
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(private readonly clock: Clock) {}

  append(n = 1): void {
    this.count += n;
    for (const wake of this.waiters.splice(0)) wake();
  }

  async latest(): Promise<FeedCursor> {
    return String(this.count);
  }

  async next(after: FeedCursor, blockMs: number): Promise<{ cursor: FeedCursor; count: number }> {
    if (this.count === Number(after)) {
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        void this.clock.sleep(blockMs).then(wake);
      });
    }
    return { cursor: String(this.count), count: this.count - Number(after) };
  }

  async published(): Promise<FeedCursor | undefined> {
    return this.publishedAt;
  }

  async markPublished(cursor: FeedCursor): Promise<void> {
    this.publishedAt = cursor;
  }

  close(): void {
    this.closed = true;
  }
}
