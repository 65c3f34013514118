import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { type ActionId, type Click, checkClick, isActionId } from '../../domain/actions.js';
import { asBotError, BotError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Outcome } from '../../domain/outcome.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { logLevelOf, renderError } from './errors.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { render } from './render/index.js';

/** What a click does; an Outcome returned is shown to the clicker alone. */
export type ActionHandlers = Readonly<Partial<Record<ActionId, (click: Click) => Promise<Outcome | undefined>>>>;

export interface ActionListenerDeps {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly handlers: ActionHandlers;
  /** Records a click refused before any service saw it (unknown action, malformed value). */
  readonly refused: (actor: string, requestId: string, reason: string) => Promise<void>;
  /**
   * A click on the Home tab has no response_url: the answer is shown on the clicker's Home, published
   * again with it at the top (and with what the click changed).
   */
  readonly home: (user: string, notice: string) => Promise<void>;
}

/**
 * Every button click: acknowledged at once, then handed to the service that owns the action.
 * Errors and refusals go back to the clicker only; the services update the shared message. A click
 * on the Home tab (a view, no channel, no response_url) is checked exactly as one on a message; its
 * answer goes to the clicker's Home instead of an ephemeral message.
 */
export function registerActionListener(app: App, deps: ActionListenerDeps): void {
  // Every action_id, not only the bot's: a click on anything else (tampered or stale) is refused
  // and audited at once, rather than left unacknowledged for Slack to time out.
  app.action<BlockAction<ButtonAction>>(/.*/, async ({ action, body, ack, respond, context }) => {
    const started = typeof context.receivedAt === 'number' ? context.receivedAt : performance.now();
    await ack();
    const name = isActionId(action.action_id) ? action.action_id : 'unknown';
    deps.metrics.ack.observe({ type: 'action', name }, (performance.now() - started) / 1000);
    const requestId = newId('r');
    const log = deps.log.child({ request: requestId, user: body.user.id, action: action.action_id });
    const checked = checkClick(action.action_id, action.value);
    const handler = checked.ok ? deps.handlers[checked.action] : undefined;
    const fromHome = body.container?.type === 'view';
    const tell = (message: ReturnType<typeof render>) =>
      fromHome || !respond
        ? deps.home(body.user.id, noticeOf(message))
        : respond({ ...message, response_type: 'ephemeral', replace_original: false }).catch((e: unknown) =>
            log.warn({ err: (e as Error).message }, 'could not answer the click'),
          );
    if (!checked.ok || !handler) {
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'refused' });
      const reason = checked.ok ? `no handler for ${checked.action}` : checked.reason;
      log.warn({ reason }, 'click refused');
      await deps
        .refused(body.user.id, requestId, reason)
        .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'refusal not audited'));
      return void (await tell(renderError(new BotError('unknown-button', reason), requestId)));
    }
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    const click: Click = {
      action: checked.action,
      actor: body.user.id,
      value: checked.value,
      requestId,
      ...(channel && ts ? { message: { channel, ts } } : {}),
    };
    try {
      const outcome = await handler(click);
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'ok' });
      if (outcome) await tell(render(outcome));
      else if (fromHome) await deps.home(body.user.id, ':white_check_mark: Done.');
    } catch (thrown) {
      const error = asBotError(thrown);
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'error' });
      log[logLevelOf(error.code)]({ code: error.code, err: error.message }, 'click refused or failed');
      await tell(renderError(error, requestId));
    }
  });
}

/** What a click's answer says, as the Home tab shows it: its first section (mrkdwn, escaped already). */
function noticeOf(message: ReturnType<typeof render>): string {
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text?.type === 'mrkdwn') return block.text.text;
  }
  return escapeMrkdwn(message.text);
}
