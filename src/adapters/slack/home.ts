import type { App } from '@slack/bolt';
import type { Logger } from '../logging.js';

/**
 * Publishes one person's Home tab, built from what the bot knows when its turn comes; `notice` (mrkdwn,
 * escaped) is the answer to their last click on Home, shown at the top. Never rejects: a failed publish
 * is logged.
 */
export type PublishHome = (user: string, notice?: string) => Promise<void>;

/** What opening Home does: remembering who looks, so that it stays live for them, and publishing it. */
export interface HomeOpening {
  /** Records that `user` opened Home now (the viewers registry). */
  opened(user: string): Promise<void>;
  readonly publish: PublishHome;
}

/** A user ID as Slack sends it: anything else names nobody whose Home could be published. */
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

/** Opening the Home tab records the viewer, then publishes it (through the composition root's pacer). */
export function registerHome(app: App, log: Logger, home: HomeOpening): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || typeof event.user !== 'string' || !USER_ID.test(event.user)) return;
    log.info({ user: event.user }, 'home opened');
    // Recorded first: a change while the first publish is on its way must reach this person too.
    await home.opened(event.user).catch((error: unknown) => {
      log.warn({ err: (error as Error).message, user: event.user }, 'could not record who opened Home');
    });
    await home.publish(event.user);
  });
}
