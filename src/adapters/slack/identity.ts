import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logging.js';

/** Slack's answers that mean the token itself is bad: retrying cannot help. */
const FATAL = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/**
 * Who the bot is in Slack, learnt with one `auth.test` at start. Bolt would otherwise cache a
 * failed first call forever (or call on every request); here a failure is retried in the
 * background while the bot keeps answering, and a revoked token stops the process.
 */
export class BotIdentity {
  botId?: string;
  userId?: string;

  async load(client: WebClient, log: Logger, onFatal: (reason: string) => void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await client.auth.test();
        this.botId = result.bot_id;
        this.userId = result.user_id;
        log.info({ team: result.team_id, botUser: result.user_id }, 'connected to Slack');
        return;
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code && FATAL.has(code)) return onFatal(`SLACK_BOT_TOKEN: Slack answers ${code}`);
        if (attempt === 0) log.warn({ err: (error as Error).message }, 'Slack auth.test failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** attempt, 30_000)).unref());
      }
    }
  }
}
