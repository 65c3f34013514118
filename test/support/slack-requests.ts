/**
 * Requests to the bot built exactly as Slack builds them (sandbox/slack/requests.ts, shared with
 * the sandbox console), with the defaults tests use: the test team, Alice in the deploy channel,
 * Bob clicking in the approvals channel.
 */
import {
  blockActionsBody,
  postSigned,
  type SignOptions,
  type SlackReply,
  sign,
  slashCommandBody,
} from '../../sandbox/slack/requests.js';

export { postSigned, type SignOptions, type SlackReply, sign };

const TEAM = { id: 'T0FAKE', domain: 'fake' };
const APP = 'A0LAMBDA';
const NOWHERE = 'http://127.0.0.1:9/response/none';

export interface CommandFields {
  readonly text: string;
  readonly user_id?: string;
  readonly channel_id?: string;
  readonly response_url?: string;
}

/** The body of a `/lambda` slash command, with every field Slack sends. */
export function commandBody(fields: CommandFields): string {
  const user = fields.user_id ?? 'U0ALICE';
  return slashCommandBody({
    command: '/lambda',
    text: fields.text,
    team: TEAM,
    user: { id: user, name: user.toLowerCase() },
    channel: { id: fields.channel_id ?? 'C0DEPLOY', name: 'deploys' },
    responseUrl: fields.response_url ?? NOWHERE,
    apiAppId: APP,
  });
}

export function sendCommand(url: string, secret: string, fields: CommandFields, options?: SignOptions) {
  return postSigned(url, secret, commandBody(fields), options);
}

export interface ClickFields {
  readonly action_id: string;
  readonly value: string;
  readonly user_id?: string;
  readonly channel_id?: string;
  readonly message_ts?: string;
  readonly response_url?: string;
}

/** The body of a `block_actions` click on a button. */
export function clickBody(fields: ClickFields): string {
  const user = fields.user_id ?? 'U0BOB';
  const channel = fields.channel_id ?? 'C0APPROVALS';
  return blockActionsBody({
    team: TEAM,
    user: { id: user, name: user.toLowerCase() },
    channel: { id: channel, name: channel.toLowerCase() },
    message: { ts: fields.message_ts ?? '1.000001', text: '', blocks: [] },
    isEphemeral: false,
    responseUrl: fields.response_url ?? NOWHERE,
    apiAppId: APP,
    button: {
      action_id: fields.action_id,
      block_id: 'b',
      value: fields.value,
      text: { type: 'plain_text', text: 'button' },
    },
  });
}

export function sendClick(url: string, secret: string, fields: ClickFields, options?: SignOptions) {
  return postSigned(url, secret, clickBody(fields), options);
}

export interface HomeClickFields {
  readonly action_id: string;
  readonly value: string;
  readonly user_id?: string;
  /** The published view's ID, as views.publish answered it. */
  readonly view_id?: string;
}

/**
 * The body of a click on a button of the App Home tab, as Slack sends it: the container is the view,
 * and there is no channel, no message and no response_url.
 */
export function homeClickBody(fields: HomeClickFields): string {
  const user = fields.user_id ?? 'U0BOB';
  const viewId = fields.view_id ?? 'V0HOME';
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM.id },
    api_app_id: APP,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: viewId },
    trigger_id: `${Date.now()}.trigger`,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: viewId,
      team_id: TEAM.id,
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.hash`,
      root_view_id: viewId,
      previous_view_id: null,
      app_id: APP,
      bot_id: 'B0BOT',
    },
    actions: [
      {
        type: 'button',
        action_id: fields.action_id,
        block_id: 'b',
        value: fields.value,
        text: { type: 'plain_text', text: 'button' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function sendHomeClick(url: string, secret: string, fields: HomeClickFields, options?: SignOptions) {
  return postSigned(url, secret, homeClickBody(fields), options);
}

/** How an Events API delivery is sent: its ID (a retry repeats it) and Slack's retry headers. */
export interface EventDelivery extends SignOptions {
  readonly eventId?: string;
  /** X-Slack-Retry-Num: set on Slack's retries of a delivery it saw no answer to. */
  readonly retryNum?: number;
  readonly retryReason?: string;
}

/** The JSON body of an Events API delivery of `event`. */
export function eventBody(event: Record<string, unknown>, eventId: string): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: APP,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'U0BOT', is_bot: true }],
    event,
  });
}

/** An Events API delivery (JSON body), signed like the others, with Slack's retry headers if asked. */
export async function sendEvent(
  url: string,
  secret: string,
  event: Record<string, unknown>,
  options: EventDelivery = {},
): Promise<SlackReply> {
  const eventId = options.eventId ?? `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  return sendJson(url, secret, eventBody(event, eventId), options);
}

/** Any JSON body to POST /slack/events, signed as Slack signs (unless told otherwise). */
export async function sendJson(url: string, secret: string, body: string, options: EventDelivery = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? sign(secret, body, timestamp);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  const response = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}
