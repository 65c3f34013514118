import type { App } from '@slack/bolt';
import { COMMANDS } from '../../../commands/index.js';
import type { Logger } from '../logging.js';
import type { HomeView } from './home-publisher.js';
import { clamp, code, escapeMrkdwn } from './mrkdwn.js';

/** The App Home tab: what the bot is and every command, so nobody has to remember `/lambda help`. */
export function commandListView(): HomeView {
  const usage = COMMANDS.map((c) => `${code(`/lambda ${c.usage}`)}  ${escapeMrkdwn(c.summary)}`).join('\n');
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Lambda release console' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Publish versions, move aliases, shift traffic step by step and roll back — every change audited.',
        },
      },
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: clamp(usage) } },
    ],
  };
}

/** What opening Home does, besides publishing it: remembering who looks, so that it stays live for them. */
export interface HomeOpening {
  /** Records that `user` opened Home now (the viewers registry). */
  opened(user: string): Promise<void>;
  /** Publishes `user`'s Home through the paced publisher. */
  publish(user: string): Promise<void>;
}

export function registerHome(app: App, log: Logger, home: HomeOpening): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    // Recorded first: a change while the first publish is on its way must reach this person too.
    await home.opened(event.user).catch((error: unknown) => {
      log.warn({ err: (error as Error).message, user: event.user }, 'could not record who opened Home');
    });
    try {
      await home.publish(event.user);
    } catch (error) {
      log.warn({ err: (error as Error).message, user: event.user }, 'could not publish the home tab');
    }
  });
}
