/**
 * The composition root's App Home part (main.ts calls it): kept apart so that the Home view and
 * its live publishing can change without touching the rest of the wiring.
 */
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { systemClock } from './adapters/clock.js';
import { LeaderJob } from './adapters/cron/leader-job.js';
import type { Logger } from './adapters/logging.js';
import { boltLogger } from './adapters/logging.js';
import { RedisChangeFeed } from './adapters/redis/change-feed.js';
import { connectRedis, type RedisClient } from './adapters/redis/client.js';
import { RedisEventClaims } from './adapters/redis/event-claims.js';
import { RedisHomeNotices } from './adapters/redis/home-notices.js';
import { RedisHomeViewers } from './adapters/redis/home-viewers.js';
import { registerEventClaims } from './adapters/slack/events.js';
import { type HomeOpening, registerHome } from './adapters/slack/home.js';
import { HomePublisher, type HomeView } from './adapters/slack/home-publisher.js';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from './adapters/slack/retry.js';
import type { Config } from './config.js';
import type { Lease } from './ports.js';
import { HomeLive } from './services/home-live.js';

export interface HomeWiring {
  readonly job: LeaderJob;
  readonly opening: HomeOpening;
  readonly stop: () => Promise<void>;
}

/**
 * One person's Home: `notice` atop it, and `version` the end of the audit log when it is built, so
 * that what every viewer shares (the fleet, the rollouts, the requests) is read once per change,
 * not once per viewer.
 */
export type BuildHome = (user: string, notice?: string, version?: string) => Promise<HomeView>;

/**
 * App Home kept live (CONTRACT §12): who opened it, the audit log as the feed of what changed, and
 * publishes paced under views.publish's tier, by the leader of the `home` job only. Opening Home and
 * a click's answer publish at once, ahead of the live updates waiting under the rate limit.
 */
export function wireHome(
  config: Config,
  adapters: { readonly redis: RedisClient; readonly log: Logger },
  build: BuildHome,
  lease: Lease,
  holder: string,
): HomeWiring {
  const { redis, log } = adapters;
  const prefix = config.redis.keyPrefix;
  const homeLog = log.child({ component: 'home' });
  const viewers = new RedisHomeViewers(redis, prefix);
  // A client of its own that rejects 429s: the publisher waits out Retry-After for views.publish
  // alone, where the shared client would pause every Slack call of the bot meanwhile.
  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(homeLog),
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
  });
  // XREAD BLOCK holds its connection: one of its own, with a command timeout longer than the block.
  // Its errors show as the job's failures; the shared connection already logs Redis going away.
  const tail = connectRedis(config.redis, { commandTimeout: 10_000 });
  tail.on('error', () => {});
  const feed = new RedisChangeFeed(tail, redis, prefix);
  const notices = new RedisHomeNotices(redis, prefix);
  // Answers this replica is publishing now: shown even if Redis did not keep them.
  const answering = new Map<string, string>();
  const viewFor = async (user: string) => {
    const [kept, version] = await Promise.all([
      notices.get(user).catch(() => undefined),
      feed.latest().catch(() => undefined),
    ]);
    return build(user, answering.get(user) ?? kept, version);
  };
  const publisher = new HomePublisher(client, viewFor, systemClock, homeLog);
  const publish = async (user: string, notice?: string) => {
    try {
      if (notice !== undefined) {
        answering.set(user, notice);
        await notices.set(user, notice).catch((error: unknown) => {
          homeLog.warn({ err: (error as Error).message, user }, 'could not keep the answer shown on Home');
        });
      }
      await publisher.publish(user, undefined, true);
    } catch (error) {
      homeLog.warn({ err: (error as Error).message, user }, 'could not publish the home tab');
    } finally {
      if (notice !== undefined && answering.get(user) === notice) answering.delete(user);
    }
  };
  const live = new HomeLive({
    viewers,
    feed,
    publish: (user) => publisher.publish(user),
    clock: systemClock,
    log: homeLog,
  });
  const job = new LeaderJob({
    name: 'home',
    everyMs: 1000,
    holder,
    lease,
    clock: systemClock,
    log: homeLog,
    run: live.run.bind(live),
  });
  return {
    job,
    opening: { opened: (user) => viewers.opened(user, systemClock.now()), publish },
    stop: () => live.stop(),
  };
}

/**
 * The Events API listeners: first the claim of each delivery by its event_id (so that a retry Slack
 * sent to this replica or another is handled once), then opening Home. Called before any other listener.
 */
export function registerEvents(app: App, redis: RedisClient, config: Config, log: Logger, opening: HomeOpening): void {
  registerEventClaims(app, new RedisEventClaims(redis, config.redis.keyPrefix), log.child({ component: 'events' }));
  registerHome(app, log, opening);
}
