import type { App } from '@slack/bolt';
import { COMMANDS } from '../../../commands/index.js';
import type { Logger } from '../logging.js';
import { clamp, code, escapeMrkdwn } from './mrkdwn.js';

/** The App Home tab: what the bot is and every command, so nobody has to remember `/lambda help`. */
export function registerHome(app: App, log: Logger): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const usage = COMMANDS.map((c) => `${code(`/lambda ${c.usage}`)}  ${escapeMrkdwn(c.summary)}`).join('\n');
    try {
      await client.views.publish({
        user_id: event.user,
        view: {
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
        },
      });
    } catch (error) {
      log.warn({ err: (error as Error).message, user: event.user }, 'could not publish the home tab');
    }
  });
}
