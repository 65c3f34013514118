/**
 * Requests to the bot built exactly as Slack builds them: form-encoded bodies (a `payload=`
 * JSON field for interactivity), signed with v0 HMAC-SHA256 over `v0:timestamp:body`.
 */
import { createHmac } from 'node:crypto';

export interface SignOptions {
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  /** Replaces the computed signature (forgeries). */
  readonly signature?: string;
  /** Leaves the signature headers out. */
  readonly unsigned?: boolean;
}

export function sign(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackReply {
  readonly status: number;
  readonly text: string;
  /** The JSON body, when the bot answered with one. */
  readonly json?: Record<string, unknown>;
}

export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: SignOptions = {},
): Promise<SlackReply> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? sign(secret, body, timestamp);
  }
  const response = await fetch(`${url}/slack/events`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, ...(json ? { json } : {}) };
}

export interface CommandFields {
  readonly text: string;
  readonly user_id?: string;
  readonly channel_id?: string;
  readonly response_url?: string;
}

/** The body of a `/lambda` slash command, with every field Slack sends. */
export function commandBody(fields: CommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0DEPLOY',
    channel_name: 'deploys',
    user_id: fields.user_id ?? 'U0ALICE',
    user_name: (fields.user_id ?? 'U0ALICE').toLowerCase(),
    command: '/lambda',
    text: fields.text,
    api_app_id: 'A0LAMBDA',
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? 'http://127.0.0.1:9/response/none',
    trigger_id: `${Date.now()}.trigger`,
  }).toString();
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
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0LAMBDA',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: fields.message_ts ?? '1.000001',
      channel_id: channel,
      is_ephemeral: false,
    },
    trigger_id: `${Date.now()}.trigger`,
    channel: { id: channel, name: channel.toLowerCase() },
    message: { type: 'message', ts: fields.message_ts ?? '1.000001', text: '', blocks: [] },
    response_url: fields.response_url ?? 'http://127.0.0.1:9/response/none',
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

export function sendClick(url: string, secret: string, fields: ClickFields, options?: SignOptions) {
  return postSigned(url, secret, clickBody(fields), options);
}

/** An Events API delivery (JSON body), signed like the others. */
export function sendEvent(url: string, secret: string, event: Record<string, unknown>, options: SignOptions = {}) {
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    api_app_id: 'A0LAMBDA',
    type: 'event_callback',
    event_id: `Ev${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
    event,
  });
  return postSignedJson(url, secret, body, options);
}

async function postSignedJson(url: string, secret: string, body: string, options: SignOptions): Promise<SlackReply> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(secret, body, timestamp),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}
