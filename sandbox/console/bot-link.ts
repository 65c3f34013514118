/**
 * Slack's half of the conversation with the bot: slash commands and button clicks sent as Slack
 * sends them (signed, form-encoded, with a response_url back to the console), and what Slack
 * shows when the app answers with a message, an error or not at all.
 */

import {
  blockActionsBody,
  homeBlockActionsBody,
  homeOpenedBody,
  postSigned,
  type SlackReply,
  slashCommandBody,
} from '../slack/requests.js';
import type { ResponseUrls } from '../slack/response-url.js';
import { escapeText } from '../slack/text.js';
import type { Message, Workspace } from '../slack/workspace.js';

export type BotState =
  | { readonly state: 'starting' | 'ready' }
  | { readonly state: 'stopped'; readonly detail: string };

/** Slack's own user: it tells people when an app failed them. */
export const SLACKBOT = { id: 'USLACKBOT', name: 'slackbot', realName: 'Slackbot', isBot: true } as const;

/** Slack gives an app three seconds to acknowledge. */
const ACK_TIMEOUT_MS = 3000;
const APP_ID = 'A0LAMBDA';

export type Sent = { readonly ok: true } | { readonly ok: false; readonly error: string };

export class BotLink {
  private current: BotState = { state: 'starting' };
  private url?: string;
  private readonly observers = new Set<(state: BotState) => void>();

  constructor(
    private readonly workspace: Workspace,
    private readonly responseUrls: ResponseUrls,
    private readonly signingSecret: string,
  ) {}

  get state(): BotState {
    return this.current;
  }

  onState(observer: (state: BotState) => void): void {
    this.observers.add(observer);
  }

  ready(url: string): void {
    this.url = url;
    this.set({ state: 'ready' });
  }

  stopped(detail: string): void {
    this.url = undefined;
    this.set({ state: 'stopped', detail });
  }

  /** `/lambda …` typed by `user` in `channel`; the user sees their command (only they, unless answered in_channel). */
  async command(user: string, channel: string, text: string): Promise<Sent> {
    const command = text.trim().split(/\s+/)[0] ?? '';
    const echo = this.workspace.post({ channel, user, text: escapeText(text.trim()), visibleTo: user });
    if (command !== '/lambda') {
      this.slackbot(channel, user, `\`${command}\` is not a valid command. In this workspace, only \`/lambda\` is.`);
      return { ok: true };
    }
    const url = this.url;
    if (!url) return this.refuse(channel, user, this.notRunning());
    const context = { channel, user, echo };
    const { url: responseUrl } = this.responseUrls.issue(context);
    const body = slashCommandBody({
      command,
      // As typed, after the command: Slack does not tidy the spaces inside.
      text: text.trim().slice(command.length).trim(),
      team: this.workspace.team,
      user: { id: user, name: this.workspace.people.get(user)?.name ?? user.toLowerCase() },
      channel: { id: channel, name: this.workspace.channel(channel).name },
      responseUrl,
      apiAppId: APP_ID,
    });
    const reply = await this.send(url, body);
    if (reply.error) return this.refuse(channel, user, `/lambda failed with the error "${reply.error}"`);
    // An ack with a body is the command's first response, as if posted to the response_url.
    if (reply.json) this.responseUrls.apply(context, reply.json);
    return { ok: true };
  }

  /** A click on a button of a message `user` sees; the button is looked up, not taken from the page. */
  async click(user: string, channel: string, ts: string, blockId: string, actionId: string): Promise<Sent> {
    const message = this.workspace.find(channel, ts);
    if (!message || (message.visibleTo && message.visibleTo !== user)) return { ok: false, error: 'no such message' };
    const button = findButton(message, blockId, actionId);
    if (!button) return { ok: false, error: 'no such button on the message' };
    const url = this.url;
    if (!url) return this.refuse(channel, user, this.notRunning(), message.thread_ts);
    const { url: responseUrl } = this.responseUrls.issue({ channel, user, message: { channel, ts } });
    const body = blockActionsBody({
      team: this.workspace.team,
      user: { id: user, name: this.workspace.people.get(user)?.name ?? user.toLowerCase() },
      channel: { id: channel, name: this.workspace.channel(channel).name },
      message: { ts, text: message.text, blocks: message.blocks, user: message.user },
      isEphemeral: message.visibleTo !== undefined,
      responseUrl,
      apiAppId: APP_ID,
      button: { ...button, block_id: blockId },
    });
    const reply = await this.send(url, body);
    if (reply.error) {
      return this.refuse(channel, user, `The app did not take the click ("${reply.error}")`, message.thread_ts);
    }
    return { ok: true };
  }

  /** `user` opens the app's Home tab: Slack sends `app_home_opened`; the bot answers with views.publish. */
  async openHome(user: string): Promise<Sent> {
    const url = this.url;
    if (!url) return { ok: false, error: this.notRunning() };
    const viewId = this.workspace.homes.get(user)?.id;
    const body = homeOpenedBody({ team: this.workspace.team, user, apiAppId: APP_ID, ...(viewId ? { viewId } : {}) });
    const reply = await this.send(url, body, 'application/json');
    return reply.error ? { ok: false, error: `The app did not take the event ("${reply.error}")` } : { ok: true };
  }

  /** A click on a button of `user`'s Home tab; the button is looked up in the view the bot published. */
  async homeClick(user: string, blockId: string, actionId: string): Promise<Sent> {
    const home = this.workspace.homes.get(user);
    if (!home) return { ok: false, error: 'no Home tab published for this person' };
    const button = findButton({ blocks: home.blocks }, blockId, actionId);
    if (!button) return { ok: false, error: 'no such button on the Home tab' };
    const url = this.url;
    if (!url) return { ok: false, error: this.notRunning() };
    const body = homeBlockActionsBody({
      team: this.workspace.team,
      user: { id: user, name: this.workspace.people.get(user)?.name ?? user.toLowerCase() },
      apiAppId: APP_ID,
      view: { id: home.id, blocks: home.blocks },
      button: { ...button, block_id: blockId },
    });
    const reply = await this.send(url, body);
    return reply.error ? { ok: false, error: `The app did not take the click ("${reply.error}")` } : { ok: true };
  }

  private notRunning(): string {
    return this.current.state === 'stopped'
      ? 'The bot has stopped, so nothing was sent: the terminal running the sandbox says why.'
      : 'The bot is still starting, so nothing was sent: try again in a moment.';
  }

  private async send(
    url: string,
    body: string,
    contentType?: string,
  ): Promise<{ json?: Record<string, unknown>; error?: string }> {
    let reply: SlackReply;
    try {
      reply = await postSigned(url, this.signingSecret, body, {
        timeoutMs: ACK_TIMEOUT_MS,
        ...(contentType ? { contentType } : {}),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return { error: timedOut ? 'operation_timeout' : 'dispatch_failed' };
    }
    if (reply.status !== 200) return { error: reply.status === 404 ? 'dispatch_failed' : `http_${reply.status}` };
    return reply.json ? { json: reply.json } : {};
  }

  private refuse(channel: string, user: string, text: string, thread?: string): Sent {
    this.slackbot(channel, user, text, thread);
    return { ok: false, error: text };
  }

  private slackbot(channel: string, user: string, text: string, thread?: string): void {
    this.workspace.post({
      channel,
      user: SLACKBOT.id,
      text,
      visibleTo: user,
      ...(thread ? { thread_ts: thread } : {}),
    });
  }

  private set(state: BotState): void {
    this.current = state;
    for (const observe of this.observers) observe(state);
  }
}

interface Button {
  readonly action_id: string;
  readonly value?: string;
  readonly text: { readonly type: 'plain_text'; readonly text: string };
  readonly style?: string;
}

function findButton(message: Pick<Message, 'blocks'>, blockId: string, actionId: string): Button | undefined {
  for (const block of message.blocks as { type?: string; block_id?: string; elements?: unknown[] }[]) {
    if (block.type !== 'actions' || (block.block_id ?? '') !== blockId) continue;
    for (const element of block.elements ?? []) {
      const e = element as Partial<Button> & { type?: string };
      if (e.type === 'button' && e.action_id === actionId && e.text) {
        return {
          action_id: actionId,
          text: e.text,
          ...(e.value !== undefined ? { value: e.value } : {}),
          ...(e.style ? { style: e.style } : {}),
        };
      }
    }
  }
  return undefined;
}
