import type { BotError } from '../../domain/errors.js';
import { context, ephemeral, type SlackMessage, section } from './message.js';
import { escapeMrkdwn } from './mrkdwn.js';

/**
 * The one place where error codes become words. Each message says what happened, whether
 * anything changed, and what to do next.
 */
export function renderError(error: BotError, requestId: string): SlackMessage {
  const { headline, next } = explain(error);
  return ephemeral(`${headline} ${next}`, [section(`:x: ${headline}\n${next}`), context(`Request \`${requestId}\``)]);
}

function explain(error: BotError): { headline: string; next: string } {
  switch (error.code) {
    case 'redis-unavailable':
      return {
        headline: 'Redis is unavailable, so the audit log cannot be written. Nothing was changed.',
        next: 'Try again in a minute; if it persists, ask whoever runs the bot to check Redis.',
      };
    case 'aws-unavailable':
      return {
        headline: `AWS did not answer: ${escapeMrkdwn(error.message)}`,
        next: 'Check `/lambda status` before trying again: the change may or may not have been made.',
      };
    case 'slack-unavailable':
      return { headline: `Slack refused a call: ${escapeMrkdwn(error.message)}`, next: 'Try again in a minute.' };
    case 'internal':
      return {
        headline: 'Something went wrong inside the bot.',
        next: 'Check `/lambda status` before trying again, and give the request ID below to whoever runs the bot.',
      };
  }
}
