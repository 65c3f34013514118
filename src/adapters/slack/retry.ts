import type { RetryOptions } from '@slack/web-api';

/**
 * How the bot's WebClient retries (the composition root builds it). The WebClient's default
 * retries one call for about half an hour; an alert stuck that long holds up every alert behind
 * it in its channel. Bounded, a failing post gives up within about half a minute and the next
 * poll tries again. A 429 is waited out for its Retry-After inside an attempt (the WebClient
 * pauses all calls meanwhile), so a rate-limited post is retried, never dropped.
 */
export const SLACK_RETRY: RetryOptions = {
  retries: 8,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 4_000,
  randomize: true,
  maxRetryTime: 30_000,
};

/** One HTTP request to Slack; a hung connection must not outlast the bound below. */
export const SLACK_TIMEOUT_MS = 10_000;

/**
 * Longer than any one Slack call can take with these settings (the last attempt may start just
 * before maxRetryTime, run to the timeout and wait out a Retry-After): a message that a poller
 * took more than this long ago, and that is still not marked sent, cannot be on its way any more,
 * so another poller may send it without sending it twice.
 */
export const SLACK_TAKEOVER_MS = 120_000;
