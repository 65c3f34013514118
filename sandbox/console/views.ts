/**
 * What the page is sent: messages as a Slack client receives them (with who may see them and
 * whether they were edited), and the whole state a page starts from, for one person.
 */
import type { HomeTab, Message, Workspace } from '../slack/workspace.js';
import type { BotState } from './bot-link.js';

export interface MessageView {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly user: string;
  readonly text: string;
  readonly blocks: unknown[];
  readonly edited: boolean;
  readonly ephemeral: boolean;
}

export function messageView(m: Message): MessageView {
  return {
    channel: m.channel,
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    user: m.user,
    text: m.text,
    blocks: m.blocks,
    edited: m.updates > 0,
    ephemeral: m.visibleTo !== undefined,
  };
}

/** Who sees a message: everyone, or the one person it was whispered to. */
export function visible(m: Message, user: string): boolean {
  return m.visibleTo === undefined || m.visibleTo === user;
}

export interface StateView {
  readonly team: { readonly name: string };
  readonly me: string;
  readonly botUser: string;
  readonly bot: BotState;
  readonly people: readonly unknown[];
  readonly channels: readonly unknown[];
  readonly messages: readonly MessageView[];
  readonly suggestions: readonly string[];
  /** This person's Home tab as the bot last published it; absent until it did. */
  readonly home?: HomeTab;
}

export function stateView(
  workspace: Workspace,
  me: string,
  bot: BotState,
  extras: { suggestions: readonly string[] },
): StateView {
  return {
    team: { name: workspace.team.name },
    me,
    botUser: workspace.bot.id,
    bot,
    // Everyone a message may name: the people, the bot and Slackbot.
    people: [...workspace.people.values()],
    channels: [...workspace.channels.values()],
    messages: workspace.visibleTo(me).map(messageView),
    suggestions: extras.suggestions,
    ...(workspace.homes.has(me) ? { home: workspace.homes.get(me) } : {}),
  };
}
