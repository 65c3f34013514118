import type { BotError, ErrorCode } from '../../domain/errors.js';
import type { GateCheck } from '../../domain/gates.js';
import type { Freeze } from '../../domain/policy.js';
import type { LockOwner } from '../../ports.js';
import { context, ephemeral, type SlackMessage, section } from './message.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { checklist } from './render/gates.js';

const NOTHING_CHANGED = 'Nothing was changed.';

/**
 * The one place where error codes become words. Each message says what happened, whether
 * anything changed, and what to do next.
 */
export function renderError(error: BotError, requestId: string): SlackMessage {
  const { headline, next } = explain(error);
  const text = `${headline} ${next}`.trim();
  return ephemeral(text, [section(`:x: ${headline}${next ? `\n${next}` : ''}`), context(`Request \`${requestId}\``)]);
}

function explain(error: BotError): { headline: string; next: string } {
  const message = escapeMrkdwn(error.message);
  switch (error.code) {
    case 'redis-unavailable':
      return {
        headline: `Redis is unavailable, so the audit log cannot be written. ${NOTHING_CHANGED}`,
        next: 'Try again in a minute; if it persists, ask whoever runs the bot to check Redis.',
      };
    case 'aws-unavailable':
      return {
        headline: `AWS did not answer: ${message}`,
        next: 'Check `/lambda status` before trying again: the change may or may not have been made.',
      };
    case 'aws-refused':
      return { headline: `AWS refused: ${message}`, next: NOTHING_CHANGED };
    case 'slack-unavailable':
      return { headline: `Slack refused a call: ${message}`, next: 'Try again in a minute.' };
    case 'function-not-found':
    case 'alias-not-found':
    case 'version-not-found':
      return {
        headline: `${message}. ${NOTHING_CHANGED}`,
        next: 'Check the name with `/lambda status` or `/lambda versions`.',
      };
    case 'revision-conflict':
      return {
        headline: `${message}. ${NOTHING_CHANGED}`,
        next: 'Look at `/lambda status` and try again if it still makes sense.',
      };
    case 'update-in-progress':
      return { headline: `${message}. ${NOTHING_CHANGED}`, next: 'Wait for the update to finish, then try again.' };
    case 'code-changed':
      return { headline: `${message}. ${NOTHING_CHANGED}`, next: 'Check what was deployed, then publish again.' };
    case 'not-permitted': {
      const freeze = error.details.freeze as Freeze | undefined;
      const by = freeze ? ` (frozen by <@${freeze.by}>; \`/lambda unfreeze\` lifts it, rollback still works)` : '';
      const mayBy = error.details.mayBy as readonly string[] | undefined;
      const who =
        mayBy === undefined
          ? ''
          : `Who may: ${mayBy.length > 0 ? mayBy.map(mention).join(', ') : 'nobody (the policy file names nobody in breakglass)'}.`;
      return { headline: `${message}${by}. ${NOTHING_CHANGED}`, next: who };
    }
    case 'busy': {
      const holder = error.details.holder as LockOwner | undefined;
      const by = holder ? ` by <@${holder.actor}>` : '';
      return { headline: `${message}${by}. ${NOTHING_CHANGED}`, next: 'Try again when it has finished.' };
    }
    case 'unknown-button':
      return { headline: `This button is not one the bot knows (${message}). ${NOTHING_CHANGED}`, next: '' };
    case 'already-decided': {
      const by = typeof error.details.by === 'string' ? ` (by <@${escapeMrkdwn(error.details.by)}>)` : '';
      return { headline: `${message}${by}. ${NOTHING_CHANGED}`, next: '' };
    }
    case 'invalid-change':
    case 'needs-version':
    case 'wrong-region':
    case 'unknown-target':
      return { headline: `${message}. ${NOTHING_CHANGED}`, next: '' };
    case 'account-unavailable':
      return {
        headline: `${message}. ${NOTHING_CHANGED}`,
        next: 'Other accounts still work. Whoever runs the bot should check the role named above: its trust policy (the bot may assume it, with the right external ID and sts:SetSourceIdentity), and that the region is enabled for the account.',
      };
    case 'gates-not-met': {
      const checks = (error.details.checks ?? []) as readonly GateCheck[];
      const version =
        typeof error.details.version === 'string' ? ` v${escapeMrkdwn(error.details.version)} has not.` : '';
      return {
        headline: `${message};${version} ${NOTHING_CHANGED}\n${checklist(checks)}`,
        next: 'Wait until the gates are met, or, in an emergency, someone in breakglass may add `--break-glass REASON…`.',
      };
    }
    case 'internal':
      return {
        headline: 'Something went wrong inside the bot.',
        next: 'Check `/lambda status` before trying again, and give the request ID below to whoever runs the bot.',
      };
  }
}

/** A user or a user group, as Slack mentions them. */
function mention(principal: string): string {
  return principal.startsWith('S') ? `<!subteam^${principal}>` : `<@${principal}>`;
}

/**
 * How loudly a failed command or click is logged: the unexpected as an error, a dependency that
 * failed (Slack refusing the token, AWS or Redis down) as a warning operators must see, and the
 * refusals users earn (policy, usage, conflicts) as information.
 */
export function logLevelOf(code: ErrorCode): 'error' | 'warn' | 'info' {
  if (code === 'internal') return 'error';
  return code === 'slack-unavailable' ||
    code === 'aws-unavailable' ||
    code === 'redis-unavailable' ||
    code === 'account-unavailable'
    ? 'warn'
    : 'info';
}
