/**
 * Requests to an app built exactly as Slack builds them: a slash command as form fields, a click
 * as a `block_actions` payload in one `payload=` form field, each signed with v0 HMAC-SHA256 over
 * `v0:timestamp:body` with the app's signing secret.
 */
import { createHmac } from 'node:crypto';

export function sign(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  /** Replaces the computed signature (forgeries). */
  readonly signature?: string;
  /** Leaves the signature headers out. */
  readonly unsigned?: boolean;
  /** Gives up after this long (Slack waits 3 s for an ack). */
  readonly timeoutMs?: number;
}

export interface SlackReply {
  readonly status: number;
  readonly text: string;
  /** The JSON body, when the app answered with one. */
  readonly json?: Record<string, unknown>;
}

/** POSTs a signed body to `<url>/slack/events`. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: SignOptions & { contentType?: string } = {},
): Promise<SlackReply> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
  };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? sign(secret, body, timestamp);
  }
  const response = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers,
    body,
    ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, ...(json ? { json } : {}) };
}

export interface SlashCommand {
  readonly command: string;
  readonly text: string;
  readonly team: { readonly id: string; readonly domain: string };
  readonly user: { readonly id: string; readonly name: string };
  readonly channel: { readonly id: string; readonly name: string };
  readonly responseUrl: string;
  readonly apiAppId: string;
}

/** The form body of a slash command, with every field Slack sends. */
export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: c.team.id,
    team_domain: c.team.domain,
    channel_id: c.channel.id,
    channel_name: c.channel.name,
    user_id: c.user.id,
    user_name: c.user.name,
    command: c.command,
    text: c.text,
    api_app_id: c.apiAppId,
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: triggerId(),
  }).toString();
}

export interface ButtonClick {
  readonly team: { readonly id: string; readonly domain: string };
  readonly user: { readonly id: string; readonly name: string };
  readonly channel: { readonly id: string; readonly name: string };
  /** The message as the client has it (Slack sends it back whole). */
  readonly message: { readonly ts: string; readonly text: string; readonly blocks: unknown[]; readonly user?: string };
  readonly isEphemeral: boolean;
  readonly responseUrl: string;
  readonly apiAppId: string;
  readonly button: {
    readonly action_id: string;
    readonly block_id: string;
    readonly value?: string;
    readonly text: { readonly type: 'plain_text'; readonly text: string };
    readonly style?: string;
  };
}

/** The form body of a `block_actions` click on a button. */
export function blockActionsBody(c: ButtonClick): string {
  return clickBody(c, {
    container: { type: 'message', message_ts: c.message.ts, channel_id: c.channel.id, is_ephemeral: c.isEphemeral },
    channel: c.channel,
    message: { type: 'message', ...c.message },
    response_url: c.responseUrl,
  });
}

function triggerId(): string {
  return `${Date.now()}.trigger`;
}

/** What every `block_actions` click carries, around where it came from (`from`: a message or a view). */
function clickBody(
  c: Pick<ButtonClick, 'team' | 'user' | 'apiAppId'> & { readonly button: object },
  from: Readonly<Record<string, unknown>>,
): string {
  const payload = {
    type: 'block_actions',
    team: c.team,
    user: { id: c.user.id, username: c.user.name, name: c.user.name, team_id: c.team.id },
    api_app_id: c.apiAppId,
    token: 'legacy-verification-token',
    trigger_id: triggerId(),
    ...from,
    state: { values: {} },
    actions: [{ type: 'button', ...c.button, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API delivery of `app_home_opened` (JSON), as Slack sends it when someone opens the Home tab. */
export function homeOpenedBody(c: { team: { id: string }; user: string; apiAppId: string; viewId?: string }): string {
  const now = Date.now();
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: c.team.id,
    api_app_id: c.apiAppId,
    type: 'event_callback',
    event_id: `Ev${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(now / 1000),
    event: {
      type: 'app_home_opened',
      user: c.user,
      channel: `D${c.user}`,
      tab: 'home',
      event_ts: `${now / 1000}`,
      ...(c.viewId ? { view: { id: c.viewId, type: 'home' } } : {}),
    },
  });
}

export interface HomeClick {
  readonly team: { readonly id: string; readonly domain: string };
  readonly user: { readonly id: string; readonly name: string };
  readonly apiAppId: string;
  readonly view: { readonly id: string; readonly blocks: unknown[] };
  readonly button: Record<string, unknown> & { readonly action_id: string; readonly block_id: string };
}

/** A click on a button of a Home tab: from a view container, with no channel, message or response_url. */
export function homeBlockActionsBody(c: HomeClick): string {
  return clickBody(c, {
    container: { type: 'view', view_id: c.view.id },
    view: { id: c.view.id, type: 'home', blocks: c.view.blocks, team_id: c.team.id, app_id: c.apiAppId },
  });
}
