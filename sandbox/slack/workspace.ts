/**
 * A Slack workspace in memory: people, channels, user groups and the messages in the channels
 * (with their updates, thread replies and ephemeral messages). The Web API handlers change it;
 * the sandbox console shows it; tests read it. Listeners hear every change, in order.
 */

export interface Person {
  readonly id: string;
  /** The handle, as in @name. */
  readonly name: string;
  readonly realName: string;
  /** What they do, shown under their name (e.g. "deployer"). */
  readonly title?: string;
  readonly isBot?: boolean;
}

export interface Channel {
  readonly id: string;
  readonly name: string;
  readonly purpose?: string;
}

export interface Message {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  /** Set on replies: the ts of the message they reply to. */
  readonly thread_ts?: string;
  /** How many times the message was changed after it was posted. */
  updates: number;
  /** Who wrote it: the bot's user ID or a person's. */
  readonly user: string;
  /** Ephemeral messages are seen by this one person only; absent for messages everyone sees. */
  visibleTo?: string;
  /** When it was last changed (ms since the epoch). */
  editedAt?: number;
}

/** A person's App Home tab as the bot last published it (`views.publish`); its ID stays the same. */
export interface HomeTab {
  readonly user: string;
  readonly id: string;
  readonly blocks: unknown[];
  /** How many times it was published. */
  readonly version: number;
}

export type Change =
  | { readonly kind: 'posted' | 'updated' | 'deleted'; readonly message: Message }
  | { readonly kind: 'channel'; readonly channel: Channel }
  | { readonly kind: 'home'; readonly home: HomeTab };

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
}

/** What a test's fake Slack has always answered to `auth.test`: tests rely on these IDs. */
export const DEFAULT_TEAM: Team = { id: 'T0FAKE', name: 'Fake', domain: 'fake' };
export const DEFAULT_BOT = { id: 'U0BOT', botId: 'B0BOT', name: 'lambda', realName: 'Lambda', isBot: true } as const;

export type Bot = Person & { readonly botId: string };

export interface NewMessage {
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  readonly blocks?: unknown[];
  readonly thread_ts?: string;
  readonly visibleTo?: string;
}

export class Workspace {
  /** What everyone sees, thread replies included, oldest first. */
  readonly messages: Message[] = [];
  /** Ephemeral messages, each seen by its `visibleTo` alone. */
  readonly ephemerals: Message[] = [];
  /** User group ID → member IDs, as `usergroups.users.list` answers. */
  readonly usergroups = new Map<string, string[]>();
  readonly channels = new Map<string, Channel>();
  readonly people = new Map<string, Person>();
  /** User ID → their Home tab, once the bot published one. */
  readonly homes = new Map<string, HomeTab>();
  private readonly listeners = new Set<(change: Change) => void>();
  private counter = 0;

  constructor(
    readonly team: Team = DEFAULT_TEAM,
    readonly bot: Bot = DEFAULT_BOT,
  ) {
    this.people.set(bot.id, bot);
  }

  /** Calls `listener` on every change from now on; returns a function that stops it. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addPerson(person: Person): void {
    this.people.set(person.id, person);
  }

  addChannel(channel: Channel): void {
    this.channels.set(channel.id, channel);
    this.emit({ kind: 'channel', channel });
  }

  /** The channel with this ID; one Slack would have refused is made on first use, named after its ID. */
  channel(id: string): Channel {
    const known = this.channels.get(id);
    if (known) return known;
    const made = { id, name: id.toLowerCase() };
    this.addChannel(made);
    return made;
  }

  post(fields: NewMessage): Message {
    this.channel(fields.channel);
    const message: Message = {
      channel: fields.channel,
      ts: this.nextTs(),
      text: fields.text,
      blocks: fields.blocks ?? [],
      updates: 0,
      user: fields.user,
      ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
      ...(fields.visibleTo ? { visibleTo: fields.visibleTo } : {}),
    };
    (message.visibleTo ? this.ephemerals : this.messages).push(message);
    this.emit({ kind: 'posted', message });
    return message;
  }

  /** A message everyone sees, or an ephemeral one, by channel and ts. */
  find(channel: string, ts: string): Message | undefined {
    const match = (m: Message) => m.channel === channel && m.ts === ts;
    return this.messages.find(match) ?? this.ephemerals.find(match);
  }

  /** Changes a message in place; `undefined` when there is no such message. */
  update(channel: string, ts: string, change: { text?: string; blocks?: unknown[] }): Message | undefined {
    const message = this.find(channel, ts);
    if (!message) return undefined;
    if (change.text !== undefined) message.text = change.text;
    if (change.blocks !== undefined) message.blocks = change.blocks;
    message.updates++;
    message.editedAt = Date.now();
    this.emit({ kind: 'updated', message });
    return message;
  }

  delete(channel: string, ts: string): boolean {
    for (const list of [this.messages, this.ephemerals]) {
      const index = list.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index < 0) continue;
      const [message] = list.splice(index, 1);
      if (message) this.emit({ kind: 'deleted', message });
      return true;
    }
    return false;
  }

  /** Makes an ephemeral message seen by everyone, as Slack does with a command answered in_channel. */
  reveal(message: Message): void {
    const index = this.ephemerals.indexOf(message);
    if (index < 0) return;
    this.ephemerals.splice(index, 1);
    delete message.visibleTo;
    this.messages.push(message);
    this.messages.sort((a, b) => compareTs(a.ts, b.ts));
    this.emit({ kind: 'updated', message });
  }

  /** What `user` sees: every message everyone sees, and their own ephemeral ones, oldest first. */
  visibleTo(user: string): Message[] {
    return [...this.messages, ...this.ephemerals.filter((m) => m.visibleTo === user)].sort((a, b) =>
      compareTs(a.ts, b.ts),
    );
  }

  /** The bot publishes `user`'s Home tab: replaces it whole, under the ID it had. */
  publishHome(user: string, blocks: unknown[]): HomeTab {
    const before = this.homes.get(user);
    const home = { user, id: before?.id ?? `VHOME${++this.counter}`, blocks, version: (before?.version ?? 0) + 1 };
    this.homes.set(user, home);
    this.emit({ kind: 'home', home });
    return home;
  }

  /** Slack's message IDs: seconds, a dot, six digits; unique and increasing. */
  nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.counter).padStart(6, '0')}`;
  }

  private emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Orders two message timestamps (`seconds.micros`) numerically, as their text does not always. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af) - Number(bf);
}
