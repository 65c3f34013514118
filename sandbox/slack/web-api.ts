/**
 * The Slack Web API methods the bot calls, answered over a {@link Workspace} with the shapes
 * Slack answers with (`ok`, `error`, and the fields the SDK reads).
 */
import type { Workspace } from './workspace.js';

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown>;

export interface WebApiOptions {
  /** Where `auth.test` says the workspace is, and permalinks point (ends with `/`). */
  readonly workspaceUrl: string;
  /** The Socket Mode websocket `apps.connections.open` hands out; absent: Socket Mode is refused. */
  readonly socketUrl?: string;
}

export class WebApi {
  private views = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly options: WebApiOptions,
  ) {}

  answer(method: string, args: Args): Answer {
    const ws = this.workspace;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: this.options.workspaceUrl,
          team: ws.team.name,
          team_id: ws.team.id,
          user: ws.bot.name,
          user_id: ws.bot.id,
          bot_id: ws.bot.botId,
        };
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update': {
        const message = ws.find(String(args.channel), String(args.ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        ws.update(message.channel, message.ts, {
          ...(args.text !== undefined ? { text: String(args.text) } : {}),
          ...(args.blocks !== undefined ? { blocks: asArray(args.blocks) } : {}),
        });
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.delete':
        return ws.delete(String(args.channel), String(args.ts))
          ? { ok: true, channel: args.channel, ts: args.ts }
          : { ok: false, error: 'message_not_found' };
      case 'chat.postEphemeral': {
        if (typeof args.user !== 'string') return { ok: false, error: 'user_not_in_channel' };
        const message = ws.post({
          ...content(args),
          channel: String(args.channel),
          user: ws.bot.id,
          visibleTo: args.user,
        });
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `${this.options.workspaceUrl}archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'apps.connections.open':
        return this.options.socketUrl
          ? { ok: true, url: this.options.socketUrl }
          : { ok: false, error: 'not_allowed_token_type' };
      case 'views.open':
        return { ok: true, view: { id: `V${++this.views}` } };
      case 'views.publish':
        return this.publishHome(args);
      case 'users.info':
        return { ok: true, user: this.user(String(args.user)) };
      case 'usergroups.users.list': {
        const users = ws.usergroups.get(String(args.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.info': {
        const id = String(args.channel);
        const known = ws.channels.get(id);
        return { ok: true, channel: { id, name: known?.name ?? id.toLowerCase(), is_channel: true } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private postMessage(args: Args): Answer {
    if (typeof args.channel !== 'string' || args.channel === '') return { ok: false, error: 'channel_not_found' };
    const ws = this.workspace;
    const message = ws.post({
      ...content(args),
      channel: args.channel,
      user: ws.bot.id,
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
    });
    return {
      ok: true,
      channel: message.channel,
      ts: message.ts,
      message: { type: 'message', user: ws.bot.id, bot_id: ws.bot.botId, text: message.text, ts: message.ts },
    };
  }

  /** Slack refuses a view that is not a Home tab or is over 100 blocks; the fake does too. */
  private publishHome(args: Args): Answer {
    const view = (typeof args.view === 'string' ? JSON.parse(args.view) : args.view) as
      | { type?: string; blocks?: unknown }
      | undefined;
    if (typeof args.user_id !== 'string' || args.user_id === '') return { ok: false, error: 'invalid_arguments' };
    if (view?.type !== 'home') return { ok: false, error: 'invalid_arguments' };
    const blocks = asArray(view.blocks);
    if (blocks.length > 100) return { ok: false, error: 'invalid_arguments' };
    const home = this.workspace.publishHome(args.user_id, blocks);
    return { ok: true, view: { id: home.id, type: 'home', blocks } };
  }

  /** A person the workspace knows, or one named after their ID as Slack would show a stranger. */
  private user(id: string): Answer {
    const person = this.workspace.people.get(id);
    if (!person) return { id, name: id.toLowerCase(), real_name: id };
    return {
      id,
      name: person.name,
      real_name: person.realName,
      is_bot: person.isBot === true,
      profile: { real_name: person.realName, display_name: person.name, title: person.title ?? '' },
    };
  }
}

function content(args: Args): { text: string; blocks: unknown[] } {
  return { text: String(args.text ?? ''), blocks: asArray(args.blocks) };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
