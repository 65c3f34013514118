import type { App } from '@slack/bolt';
import type { EventClaims } from '../../ports.js';
import type { Logger } from '../logging.js';

/** What an Events API delivery carries that deduplication reads. */
interface EventEnvelope {
  readonly type?: unknown;
  readonly event_id?: unknown;
}

/**
 * Every Events API delivery is claimed by its `event_id` before any listener sees it: Slack retries a
 * delivery it got no answer to within 3 s (X-Slack-Retry-Num), perhaps to another replica, and a
 * retry of a claimed event is dropped. When Redis does not answer the event is handled anyway: a Home
 * tab published twice is harmless, one never published is not.
 */
export function registerEventClaims(app: App, claims: EventClaims, log: Logger): void {
  app.use(async ({ body, context, next }) => {
    const envelope = body as EventEnvelope;
    if (envelope.type !== 'event_callback' || typeof envelope.event_id !== 'string') return next();
    const eventId = envelope.event_id.slice(0, 100);
    const first = await claims.claim(eventId).catch((error: unknown) => {
      log.warn({ err: (error as Error).message, event: eventId }, 'event not claimed; handled without deduplication');
      return true;
    });
    if (!first) {
      log.info({ event: eventId, retry: context.retryNum, reason: context.retryReason }, 'event already handled');
      return;
    }
    await next();
  });
}
