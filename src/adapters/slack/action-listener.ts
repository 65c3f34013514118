import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { type ActionId, type Click, isActionId } from '../../domain/actions.js';
import { asBotError, BotError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Outcome } from '../../domain/outcome.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { renderError } from './errors.js';
import { render } from './render/index.js';

/** What a click does; an Outcome returned is shown to the clicker alone. */
export type ActionHandlers = Readonly<Partial<Record<ActionId, (click: Click) => Promise<Outcome | undefined>>>>;

export interface ActionListenerDeps {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly handlers: ActionHandlers;
  /** Records a click refused before any service saw it (unknown action, malformed value). */
  readonly refused: (actor: string, requestId: string, reason: string) => Promise<void>;
}

/** Values are IDs the bot issued: anything longer is not one, and is refused unread. */
const MAX_VALUE = 200;

/**
 * Every button click: acknowledged at once, then handed to the service that owns the action.
 * Errors and refusals go back to the clicker only; the services update the shared message.
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
    const handler = isActionId(action.action_id) ? deps.handlers[action.action_id] : undefined;
    const tell = (message: ReturnType<typeof render>) =>
      respond({ ...message, response_type: 'ephemeral', replace_original: false }).catch((e: unknown) =>
        log.warn({ err: (e as Error).message }, 'could not answer the click'),
      );
    if (!handler || typeof action.value !== 'string' || action.value.length > MAX_VALUE) {
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'refused' });
      const reason = handler ? 'malformed button value' : `unknown action ${action.action_id.slice(0, 60)}`;
      log.warn({ reason }, 'click refused');
      await deps
        .refused(body.user.id, requestId, reason)
        .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'refusal not audited'));
      return void (await tell(renderError(new BotError('unknown-button', reason), requestId)));
    }
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    const click: Click = {
      action: action.action_id as ActionId,
      actor: body.user.id,
      value: action.value,
      requestId,
      ...(channel && ts ? { message: { channel, ts } } : {}),
    };
    try {
      const outcome = await handler(click);
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'ok' });
      if (outcome) await tell(render(outcome));
    } catch (thrown) {
      const error = asBotError(thrown);
      deps.metrics.requests.inc({ type: 'action', name, outcome: 'error' });
      log[error.code === 'internal' ? 'error' : 'info'](
        { code: error.code, err: error.message },
        'click refused or failed',
      );
      await tell(renderError(error, requestId));
    }
  });
}
