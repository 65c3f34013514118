/**
 * App Home kept live (CONTRACT §12). One replica, the leader of the `home` job, tails the change
 * feed (the audit log: everything Home shows changes with a record) and publishes Home again for
 * everyone who opened it in the last 24 h, at most once per window each (PublishWindows). People
 * who never opened Home are never published to.
 */
import { PublishWindows } from '../domain/home-windows.js';
import type { ChangeFeed, Clock, FeedCursor, HomePublish, HomeViewers } from '../ports.js';
import type { Log } from './compose.js';

export const HOME_WINDOW_MS = 5_000;
export const HOME_VIEWERS_FOR_MS = 24 * 60 * 60 * 1000;
/** How long one leader run waits on the feed: short next to the lease, so a run never outlives it. */
const FEED_BLOCK_MS = 2_000;
/** After a failure of the leader check, the loop tries again after this. */
const RETRY_MS = 1_000;

export interface HomeLiveDeps {
  readonly viewers: HomeViewers;
  readonly feed: ChangeFeed;
  readonly publish: HomePublish;
  readonly clock: Clock;
  readonly log: Log;
  readonly windowMs?: number;
  readonly blockMs?: number;
}

/** The lease of the run: a new token is a new leader term. */
export interface HomeFence {
  readonly token: number;
  stillLeader(): Promise<boolean>;
}

export class HomeLive {
  private readonly windows: PublishWindows;
  private cursor: FeedCursor | undefined;
  /** The newest feed position whose change has been marked on the viewers. */
  private through: FeedCursor | undefined;
  private fence: HomeFence | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: HomeLiveDeps) {
    this.windows = new PublishWindows(deps.windowMs ?? HOME_WINDOW_MS);
  }

  /** One run of the leader job: waits a little for changes and marks the viewers stale. */
  async run(fence: HomeFence): Promise<void> {
    if (this.fence?.token !== fence.token || this.cursor === undefined) await this.begin(fence);
    const { cursor, count } = await this.deps.feed.next(this.cursor as FeedCursor, this.deps.blockMs ?? FEED_BLOCK_MS);
    if (count === 0 || this.stopped) return;
    this.cursor = cursor;
    await this.changed(cursor);
  }

  /** Stops publishing (pending publishes are left to the next leader) and closes the feed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.deps.feed.close();
  }

  /**
   * A new term starts from the feed's end. If the last leader had not published every change it
   * read (it died or lost the lease in a window), everyone watching gets one publish now rather
   * than waiting for the next change.
   */
  private async begin(fence: HomeFence): Promise<void> {
    this.windows.reset();
    this.through = undefined;
    this.fence = fence;
    const [latest, published] = await Promise.all([this.deps.feed.latest(), this.deps.feed.published()]);
    this.cursor = latest;
    if (published === undefined) await this.deps.feed.markPublished(latest);
    else if (published !== latest) await this.changed(latest);
  }

  private async changed(cursor: FeedCursor): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const users = await this.deps.viewers.since(new Date(now - HOME_VIEWERS_FOR_MS));
    this.windows.mark(users);
    this.through = cursor;
    if (this.wake) this.wake();
    else this.loop ??= this.flush();
  }

  private async flush(): Promise<void> {
    try {
      for (;;) {
        await this.publishDue();
        const through = this.through;
        if (this.stopped || this.windows.busy || through === undefined) return;
        await this.deps.feed.markPublished(through).catch(() => {});
        // A change that came while the position was written is still owed: publish it first.
        if (!this.windows.busy) return;
      }
    } finally {
      this.loop = undefined;
    }
  }

  /** Publishes whoever is due, window by window, until nobody is owed anything. */
  private async publishDue(): Promise<void> {
    while (!this.stopped && this.windows.busy) {
      const now = this.deps.clock.now().getTime();
      this.windows.prune(now);
      const due = this.windows.take(now);
      const leading = due.length > 0 ? await this.leading() : 'yes';
      if (leading !== 'yes') {
        for (const user of due) this.windows.done(user);
        // Unknown (Redis did not answer): still owed, tried again a window later.
        if (leading === 'unknown') this.windows.mark(due);
        if (this.stopped) return;
        await this.pause(RETRY_MS);
        continue;
      }
      for (const user of due) void this.send(user);
      const next = this.windows.nextDue();
      await this.pause(next === undefined ? undefined : next - now);
    }
  }

  /** Whether this replica still leads; a replica that lost the lease forgets what it owed. */
  private async leading(): Promise<'yes' | 'no' | 'unknown'> {
    try {
      if (this.fence && (await this.fence.stillLeader())) return 'yes';
      this.deps.log.info({}, 'no longer the home leader; its pending publishes are the next leader’s');
      this.windows.reset();
      this.through = undefined;
      // Should this replica lead again, it starts a term afresh (begin), whatever its token.
      this.fence = undefined;
      return 'no';
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not check the home lease; trying again');
      return 'unknown';
    }
  }

  private async send(user: string): Promise<void> {
    try {
      await this.deps.publish(user, () => this.windows.built(user, this.deps.clock.now().getTime()));
    } catch (error) {
      this.deps.log.warn({ user, err: (error as Error).message }, 'could not publish the home tab');
    } finally {
      this.windows.done(user);
      this.wake?.();
    }
  }

  /** Waits `ms` (undefined: until woken); a change or a publish ending wakes it early. */
  private pause(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
      if (ms !== undefined) void this.deps.clock.sleep(Math.max(0, ms)).then(done);
    });
  }
}
