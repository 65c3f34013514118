/**
 * The end-to-end world with what tests of changes made outside the bot need on top (CONTRACT §10):
 * the watch every 10 s (its minimum), two bot replicas on one Redis, the emulator on the real clock
 * (CloudTrail's events and the bot's look-ups share one time), and Mallory, an IAM user of the
 * emulator who moves aliases "at the console" with an SDK client of her own.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import type { FunctionWatch } from '../../src/domain/outside.js';
import type { Routing } from '../../src/domain/routing.js';
import { buttonValue, until } from './alarm-world.js';
import { auditExport } from './audit-cli.js';
import type { SeedFunction } from './aws-world.js';
import { type BotProcess, SIGNING_SECRET } from './bot-process.js';
import type { PostedMessage } from './fake-slack.js';
import { sendClick } from './slack-requests.js';
import { startWorld, type World } from './world.js';

export const WATCH_MS = 10_000;
export const MALLORY = 'arn:aws:iam::000000000000:user/mallory';

/** The roles of CONTRACT §4's example; `functions` is the policy's `functions:` block, indented by two. */
export function outsidePolicy(functions: string): string {
  return `
channels:
  approvals: C0APPROVALS
  alerts: C0ALERTS
approval_ttl: 30m
watch_interval: 10s
roles:
  deployers: [U0ALICE, U0BOB]
  approvers: [U0BOB, U0CAROL]
  responders: [U0ONCALL]
functions:
${functions}`;
}

export interface OutsideWorld extends World {
  /** The second replica; `world.bot` is the first. */
  readonly replica: BotProcess;
  /** Lambda as Mallory, in the bot's account and region. */
  readonly mallory: LambdaClient;
  /** Top-level alerts about changes made outside the bot, of `fn` if given. */
  alerts(fn?: string): PostedMessage[];
  /** Waits for the first alert that `match`es. */
  alert(match: (m: PostedMessage) => boolean, what: string): Promise<PostedMessage>;
  /** What the watch last accounted for of an alias (undefined: not watched yet, or gone). */
  watched(fn: string, alias: string): Promise<Routing | undefined>;
  /** Waits until the watch has accounted for the alias as routing `routing`. */
  accounted(fn: string, alias: string, routing: Routing): Promise<void>;
  /** Waits until `runs` more watches have finished, whichever replica leads. */
  watches(runs: number): Promise<void>;
  /**
   * Clicks a button of `message` as `user` on `via` (default the first bot), with `value` or the
   * button's own; `reply()` waits for what the clicker alone is told.
   */
  click(
    message: PostedMessage,
    action: string,
    user: string,
    options?: { via?: BotProcess; value?: string },
  ): Promise<{ reply: () => Promise<Record<string, unknown>> }>;
  audit(action: string, fn?: string): Promise<AuditRecord[]>;
  /** The versions an alias was pointed at by UpdateAlias, in order, by anyone (the emulator's history). */
  aliasWrites(fn: string, alias: string): Promise<string[]>;
  /** The bot leading the watch now (of those this world started), by the pid in its lease. */
  leader(): Promise<BotProcess | undefined>;
}

export async function startOutsideWorld(policy: string, functions: readonly SeedFunction[]): Promise<OutsideWorld> {
  const world = await startWorld({ policy, functions, clock: 'real' });
  const replica = await world.startReplica();
  await world.control('PUT', '/_emulator/principals', { accessKeyId: 'AKIDMALLORY', arn: MALLORY });
  const mallory = new LambdaClient({
    endpoint: world.emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDMALLORY', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const keys = redisKeys(world.prefix);
  const alerts = (fn?: string) =>
    world.slack.messages.filter(
      (m) => !m.thread_ts && m.text.startsWith('Changed outside the bot') && (!fn || m.text.includes(` ${fn}`)),
    );
  const watched = async (fn: string, alias: string) => {
    const state = await world.redis.hget(keys.outsideWatch(fn), 'state');
    return state ? (JSON.parse(state) as FunctionWatch).aliases[alias]?.routing : undefined;
  };
  const listed = async () =>
    (await world.control<Record<string, number>>('GET', '/_emulator/calls'))['lambda.ListAliases'] ?? 0;
  const fns = functions.length;
  const bots = [world.bot, replica];
  return {
    ...world,
    replica,
    mallory,
    alerts,
    alert: (match, what) => until(() => alerts().find(match), WATCH_MS + 5_000, what),
    watched,
    async accounted(fn, alias, routing) {
      const wanted = JSON.stringify(routing);
      const known = async () => (JSON.stringify(await watched(fn, alias)) === wanted ? true : undefined);
      await until(known, 2 * WATCH_MS + 5_000, `${fn}:${alias} accounted for as ${wanted}`);
    },
    async watches(runs) {
      // Each watch lists every function's aliases once, first thing: one more run started means the one before ended.
      const target = (await listed()) + fns * (runs + 1);
      await until(
        async () => ((await listed()) >= target ? true : undefined),
        (runs + 2) * WATCH_MS,
        `${runs} watches`,
      );
    },
    async click(message, action, user, { via = world.bot, value } = {}) {
      const { id, url } = world.slack.newResponseUrl();
      const reply = await sendClick(via.url, SIGNING_SECRET, {
        action_id: action,
        value: value ?? buttonValue(message, action),
        user_id: user,
        channel_id: message.channel,
        message_ts: message.ts,
        response_url: url,
      });
      if (reply.status !== 200) throw new Error(`click answered ${reply.status}`);
      return { reply: () => world.slack.waitForResponse(id) };
    },
    async audit(action, fn) {
      return (await auditExport(world.prefix)).filter((r) => r.action === action && (!fn || r.function === fn));
    },
    async aliasWrites(fn, alias) {
      const history = await world.control<{ operation: string; functionVersion: string }[]>(
        'GET',
        `/_emulator/alias-history?function=${fn}&alias=${alias}`,
      );
      return history.filter((h) => h.operation === 'UpdateAlias').map((h) => h.functionVersion);
    },
    async leader() {
      // `host:pid:id|token`, the holder as main.ts names it.
      const holder = (await world.redis.get(keys.lease('outside-watch')))?.split('|')[0]?.split(':') ?? [];
      const pid = Number(holder.at(-2));
      return bots.find((b) => b.child.pid === pid && b.child.exitCode === null && b.child.signalCode === null);
    },
    async startReplica(extra) {
      const started = await world.startReplica(extra);
      bots.push(started);
      return started;
    },
    async close() {
      mallory.destroy();
      await world.close();
    },
  };
}
