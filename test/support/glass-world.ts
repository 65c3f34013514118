/**
 * The end-to-end world of promotion gates and break-glass (CONTRACT §11): a policy whose
 * payments-api:prod is protected and gated on staging (a 5-minute soak, a signing profile, the same
 * code), a `breakglass` role and a one-minute review, the bot's clock under the test's control (its
 * replicas share it), and v5 of payments-api published signed. Commands and clicks are signed at the
 * bot's time.
 */
import { PublishVersionCommand } from '@aws-sdk/client-lambda';
import type { AuditRecord } from '../../src/domain/audit.js';
import { auditExport } from './audit-cli.js';
import { type BotClock, botClock } from './bot-clock.js';
import { type BotProcess, SIGNING_SECRET } from './bot-process.js';
import type { PostedMessage } from './fake-slack.js';
import { TEST_POLICY } from './policy.js';
import { type SlackReply, sendClick, sendCommand } from './slack-requests.js';
import { startWorld, type World } from './world.js';

export const SIGNER = 'arn:aws:signer:us-east-1:000000000000:/signing-profiles/Release/abcdef1234';
const JOB = 'arn:aws:signer:us-east-1:000000000000:/signing-jobs/4f1e2d3c-0b9a-4e8f-9d7c-6b5a43210fed';
export const SOAK_MS = 5 * 60_000;
export const REVIEW_MS = 60_000;

export const GLASS_POLICY = TEST_POLICY.replace(
  '  responders: [U0ONCALL]',
  '  responders: [U0ONCALL]\n  breakglass: [U0ONCALL, U0DAVE]',
)
  .replace('approval_ttl: 30m', 'approval_ttl: 30m\nbreakglass_review: 1m')
  .replace(
    `        approvers: [approvers]
      staging: {}`,
    `        approvers: [approvers]
        gates:
          soaked_on: staging
          soak: 5m
          signed_by: ["${SIGNER}"]
          same_code_as: staging
      staging: {}`,
  );

export interface GlassWorld extends World {
  readonly clock: BotClock;
  /** `/lambda <text>` as `user`, signed at the bot's time; resolves with the reply (the ack's, or on response_url). */
  say(text: string, user?: string): Promise<Record<string, unknown>>;
  /** Clicks `action` with `value` as `user` (on `message` if given); `reply()` waits for what the clicker is told. */
  click(
    action: string,
    value: string,
    user: string,
    message?: PostedMessage,
    via?: BotProcess,
  ): Promise<{ ack: SlackReply; reply: () => Promise<Record<string, unknown>> }>;
  /** The audit log as `npm run audit -- export` prints it. */
  audit(): Promise<AuditRecord[]>;
}

/** payments-api v1–v4 with prod and staging on v3, then v5 published from v4's code, signed. */
export async function startGlassWorld(): Promise<GlassWorld> {
  const clock = botClock();
  const world = await startWorld({ policy: GLASS_POLICY, env: clock.env });
  await world.signing('payments-api', { profileVersionArn: SIGNER, jobArn: JOB });
  const published = await world.lambda.send(
    new PublishVersionCommand({ FunctionName: 'payments-api', Description: 'release 5, signed' }),
  );
  if (published.Version !== '5') throw new Error(`published v${published.Version}, not v5`);
  return {
    ...world,
    clock,
    async say(text, user = 'U0ALICE') {
      const r = world.slack.newResponseUrl();
      const ack = await sendCommand(
        world.bot.url,
        SIGNING_SECRET,
        { text, user_id: user, response_url: r.url },
        clock.signAt(),
      );
      if (ack.status !== 200) throw new Error(`/lambda ${text}: answered ${ack.status}`);
      // Usage comes back in the acknowledgement itself; everything else on response_url.
      return ack.json ?? world.slack.waitForResponse(r.id);
    },
    async click(action, value, user, message, via = world.bot) {
      const r = world.slack.newResponseUrl();
      const ack = await sendClick(
        via.url,
        SIGNING_SECRET,
        {
          action_id: action,
          value,
          user_id: user,
          response_url: r.url,
          ...(message ? { channel_id: message.channel, message_ts: message.ts } : {}),
        },
        clock.signAt(),
      );
      return { ack, reply: () => world.slack.waitForResponse(r.id) };
    },
    audit: () => auditExport(world.prefix),
  };
}
