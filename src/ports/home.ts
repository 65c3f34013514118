/** App Home kept live (CONTRACT §12): who looks at it, and the feed of everything it shows changing. */

/** People who opened the Home tab, and when they last did; entries older than a day are dropped. */
export interface HomeViewers {
  opened(user: string, at: Date): Promise<void>;
  /** Everyone who opened Home at or after `since`. */
  since(since: Date): Promise<string[]>;
}

/**
 * The answer to a person's last click on Home (mrkdwn), kept a short while in Redis so that whichever
 * replica publishes their Home next, a live update included, still shows it at the top.
 */
export interface HomeNotices {
  set(user: string, notice: string): Promise<void>;
  get(user: string): Promise<string | undefined>;
}

/** A position in the change feed: opaque to the services. */
export type FeedCursor = string;

/**
 * Everything Home shows changes with an audit record (a change, an approval, a rollout step, an
 * alarm, an outside change, a break-glass review, a freeze), so the audit log is the feed.
 */
export interface ChangeFeed {
  /** Where the feed ends now. */
  latest(): Promise<FeedCursor>;
  /** Waits up to `blockMs` for records after `after`: the new end and how many came (0: none). */
  next(after: FeedCursor, blockMs: number): Promise<{ readonly cursor: FeedCursor; readonly count: number }>;
  /** How far every change has been published to everyone; what a new leader resumes from. */
  published(): Promise<FeedCursor | undefined>;
  markPublished(cursor: FeedCursor): Promise<void>;
  /** Ends the feed's own connection. */
  close(): void;
}

/**
 * Publishes one person's Home with what it shows now; resolves when Slack has it (or gave up).
 * `building` is called when the view is built (after any wait under the rate limit): what changed
 * before then is in it.
 */
export type HomePublish = (user: string, building?: () => void) => Promise<void>;
