import { ErrorCode, type View, type WebClient } from '@slack/web-api';
import type { Clock } from '../../ports.js';
import type { Logger } from '../logging.js';
import { type Pace, RatePacer } from './rate-pacer.js';

/** A Home tab as `views.publish` takes it. */
export type HomeView = View & { readonly type: 'home' };

/** One person's Home as it stands now: the view content, injected (the composition root chooses it). */
export type ViewFor = (user: string) => Promise<HomeView>;

/**
 * views.publish is Tier 4 (100+ a minute per workspace, bursts allowed; slack-platform.md):
 * a minute's worth at once, then the floor of the tier. Above it, Slack's 429 says how long to wait.
 */
export const VIEWS_PUBLISH_PACE: Pace = { perMinute: 100, burst: 100 };

/** A publish rate-limited this many times in a row is given up (the next change tries again). */
const MAX_RATE_LIMITED = 5;

interface Queued {
  readonly done: Promise<void>;
  readonly building: (() => void)[];
}

/**
 * Publishes people's Home tabs through one pacer. Each view is built when its turn comes, so a
 * publish that waited shows the newest state; a person already waiting is not queued twice. The
 * client must reject 429s (`rejectRateLimitedCalls`): a 429 pauses this pacer for Retry-After
 * and the publish goes again first, while other Slack calls, on other clients, go on.
 */
export class HomePublisher {
  private readonly pacer: RatePacer;
  private readonly queued = new Map<string, Queued>();

  constructor(
    private readonly client: WebClient,
    private readonly viewFor: ViewFor,
    clock: Clock,
    private readonly log: Logger,
    pace: Pace = VIEWS_PUBLISH_PACE,
  ) {
    this.pacer = new RatePacer(clock, pace);
  }

  /**
   * Resolves once Slack has the person's Home; rejects when it could not be published. `urgent`: the
   * person is looking and waiting for it (they opened Home or clicked on it), so it goes before the
   * live updates queued under the rate limit.
   */
  publish(user: string, building?: () => void, urgent = false): Promise<void> {
    const waiting = this.queued.get(user);
    if (waiting) {
      if (building) waiting.building.push(building);
      return waiting.done;
    }
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const entry: Queued = { done, building: building ? [building] : [] };
    this.queued.set(user, entry);
    const attempt = (limited: number, first: boolean) =>
      this.pacer.run(async () => {
        // From here on a new change needs a new publish: this one may be built before it.
        if (this.queued.get(user) === entry) this.queued.delete(user);
        try {
          for (const hear of entry.building.splice(0)) hear();
          await this.client.views.publish({ user_id: user, view: await this.viewFor(user) });
          resolve();
        } catch (error) {
          const retryAfter = rateLimited(error);
          if (retryAfter === undefined || limited + 1 >= MAX_RATE_LIMITED) return reject(error);
          this.log.info({ user, retryAfterS: retryAfter }, 'views.publish rate limited; waiting it out');
          this.pacer.pauseFor(retryAfter * 1000);
          attempt(limited + 1, true);
        }
      }, first);
    attempt(0, urgent);
    return entry.done;
  }
}

/** Retry-After in seconds when Slack answered 429. */
function rateLimited(error: unknown): number | undefined {
  const e = error as { code?: string; retryAfter?: number };
  return e.code === ErrorCode.RateLimitedError ? (e.retryAfter ?? 1) : undefined;
}
