/**
 * The end-to-end world with what alarm tests need on top: a policy polling every 5 s (its
 * minimum), a CloudWatch client on the emulator, and ways to wait for what the bot does.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describeAlarmsCalls } from './alarms.js';
import { type BotProcess, SIGNING_SECRET } from './bot-process.js';
import type { PostedMessage } from './fake-slack.js';
import { TEST_POLICY } from './policy.js';
import { sendClick } from './slack-requests.js';
import { credentials, startWorld, type World, type WorldOptions } from './world.js';

export const POLL_MS = 5_000;
export const FAST_POLICY = TEST_POLICY.replace('alarm_poll_interval: 30s', 'alarm_poll_interval: 5s');

export interface AlarmWorld extends World {
  readonly cloudwatch: CloudWatchClient;
  /** Top-level messages in `channel` that mention `alarm`. */
  alerts(channel: string, alarm: string): PostedMessage[];
  /** Waits for the first such message. */
  alert(channel: string, alarm: string): Promise<PostedMessage>;
  /** Replies in a message's thread. */
  replies(message: PostedMessage): PostedMessage[];
  /** Waits until `sweeps` more polls have started: all but the last have finished by then. */
  polls(sweeps: number): Promise<void>;
  /**
   * Clicks a button of `message` as `user` (with `value`, or the button's own) on `via` (by default
   * the first bot); `reply()` waits for what the bot tells the clicker alone (refusals, and the
   * outcome of an approval; a click that worked shows in the message).
   */
  click(
    message: PostedMessage,
    action: string,
    user: string,
    value?: string,
    via?: BotProcess,
  ): Promise<{ reply: () => Promise<Record<string, unknown>> }>;
  /** Moves the emulator's clock, so that each state change has a time of its own, as in AWS. */
  tick(): Promise<void>;
}

/** `options` as `startWorld` takes them; the policy defaults to FAST_POLICY. */
export async function startAlarmWorld(options: WorldOptions = {}): Promise<AlarmWorld> {
  const world = await startWorld({ policy: FAST_POLICY, ...options });
  const cloudwatch = new CloudWatchClient({
    endpoint: world.emulator.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  const alerts = (channel: string, alarm: string) =>
    world.slack.messages.filter((m) => m.channel === channel && !m.thread_ts && m.text.includes(alarm));
  return {
    ...world,
    cloudwatch,
    alerts,
    alert: (channel, alarm) => until(() => alerts(channel, alarm)[0], 3 * POLL_MS, `an alert for ${alarm}`),
    replies: (message) => world.slack.messages.filter((m) => m.thread_ts === message.ts),
    async polls(sweeps) {
      // A poll makes at least one DescribeAlarms call; the test policy names one alarm that does
      // not exist, so each poll makes exactly two here.
      const target = (await describeAlarmsCalls(world.emulator.url)) + 2 * sweeps;
      await until(
        async () => ((await describeAlarmsCalls(world.emulator.url)) >= target ? true : undefined),
        (sweeps + 2) * POLL_MS,
        `${sweeps} polls`,
      );
    },
    async click(message, action, user, value, via = world.bot) {
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
    async tick() {
      await world.control('POST', '/_emulator/clock/advance', { ms: 1000 });
    },
    async close() {
      cloudwatch.destroy();
      await world.close();
    },
  };
}

/** All text of a posted message (fallback and blocks), for assertions. */
export function shown(message: PostedMessage): string {
  return `${message.text}\n${JSON.stringify(message.blocks)}`;
}

/** The value of a message's button, as Slack would send it back. */
export function buttonValue(message: PostedMessage, action: string): string {
  for (const block of message.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === action);
    if (button?.value) return button.value;
  }
  throw new Error(`no ${action} button on the message`);
}

export function buttonsOf(message: PostedMessage): { action_id: string; text: { text: string }; style?: string }[] {
  return (message.blocks as { type: string; elements?: [] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);
}

/** Polls `check` (every 50 ms) until it returns something, or fails naming `what`. */
export async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
