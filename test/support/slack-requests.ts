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

/** An Events API delivery (JSON body), signed like the others. */
export async function sendEvent(
  url: string,
  secret: string,
  event: Record<string, unknown>,
  options: SignOptions = {},
): Promise<SlackReply> {
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: APP,
    type: 'event_callback',
    event_id: `Ev${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'U0BOT', is_bot: true }],
    event,
  });
  const reply = await postSigned(url, secret, body, { ...options, contentType: 'application/json' });
  return { status: reply.status, text: reply.text };
}
