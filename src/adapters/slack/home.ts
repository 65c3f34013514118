import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { HomeConsole } from '../../services/home.js';
import type { Logger } from '../logging.js';
import { renderHome } from './render/home.js';

/**
 * Publishes one person's Home tab, built from what the bot knows now; `notice` (mrkdwn, escaped) is the
 * answer to their last click on Home, shown at the top. Never rejects: a failed publish is logged.
 */
export type PublishHome = (user: string, notice?: string) => Promise<void>;

/** A user ID as Slack sends it: anything else names nobody whose Home could be published. */
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

/** Opening the Home tab publishes it: one call, which the composition root may route through a pacer. */
export function registerHome(app: App, publish: PublishHome): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || typeof event.user !== 'string' || !USER_ID.test(event.user)) return;
    await publish(event.user);
  });
}

/** `views.publish` of the person's console, rendered from HomeConsole's facts. */
export function homePublisher(web: WebClient, home: HomeConsole, log: Logger): PublishHome {
  return async (user, notice) => {
    try {
      const view = renderHome(await home.viewFor(user, notice));
      await web.views.publish({ user_id: user, view });
    } catch (error) {
      log.warn({ err: (error as Error).message, user }, 'could not publish the home tab');
    }
  };
}
