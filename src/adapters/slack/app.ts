import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../../config.js';
import { RECEIVED_AT, type TimedRequest } from '../http/server.js';
import { boltLogger, type Logger } from '../logging.js';
import type { BotIdentity } from './identity.js';
import { guardSlackRequests } from './request-guard.js';

export interface SlackApp {
  readonly app: App;
  /** The handler for POST /slack/events in HTTP mode; absent in Socket Mode. */
  readonly listener?: RequestListener;
  /** Connects the Socket Mode websocket; a no-op in HTTP mode, where our own server listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Bodies above this are refused with 413 before parsing: real Slack payloads stay far below. */
const BODY_LIMIT = 256 * 1024;

/**
 * The Bolt app, with HTTP and Socket Mode as two transports of one thing. Authorization never
 * calls Slack on the request path: the bot token is fixed and the identity is learnt once.
 */
export function createSlackApp(slack: Config['slack'], identity: BotIdentity, log: Logger): SlackApp {
  const logger = boltLogger(log);
  const authorize = async () => ({
    botToken: slack.botToken,
    ...(identity.botId ? { botId: identity.botId } : {}),
    ...(identity.userId ? { botUserId: identity.userId } : {}),
  });
  const clientOptions = { slackApiUrl: slack.apiUrl };
  const common = { authorize, logger, convoStore: false as const, clientOptions };

  if (slack.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger,
      // apps.connections.open goes to SLACK_API_URL too, so Socket Mode works against a local fake.
      installerOptions: { clientOptions },
      customPropertiesExtractor: () => ({ receivedAt: performance.now() }),
    });
    const app = new App({ ...common, receiver });
    return { app, start: async () => void (await receiver.start()), stop: () => receiver.stop() };
  }
  const receiver = new HTTPReceiver({
    signingSecret: slack.signingSecret as string,
    // The guard below is the only way in, and it verifies every request (v0 HMAC, timing-safe,
    // ±5 minutes) before Bolt sees it; Bolt's second check cost a tenth of a command's CPU.
    signatureVerification: false,
    endpoints: '/slack/events',
    logger,
    bodyLimit: BODY_LIMIT,
    customPropertiesExtractor: (req) => ({ receivedAt: (req as TimedRequest)[RECEIVED_AT] }),
  });
  const app = new App({ ...common, receiver });
  const listener = guardSlackRequests(receiver.requestListener, {
    signingSecret: slack.signingSecret as string,
    bodyLimit: BODY_LIMIT,
    log: log.child({ component: 'http' }),
  });
  return { app, listener, start: async () => {}, stop: async () => {} };
}
