import type { App } from '@slack/bolt';
import { type Command, isImmediate, parseCommand } from '../../../commands/index.js';
import type { Invocation } from '../../../commands/spec.js';
import { asBotError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Outcome } from '../../domain/outcome.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import { logLevelOf, renderError } from './errors.js';
import { ephemeral } from './message.js';
import { render, renderUsageProblem } from './render/index.js';

export interface CommandListenerDeps {
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Runs a parsed command for someone; bound to the services by the composition root. */
  readonly run: (
    command: Command,
    invocation: Invocation,
    progress: (text: string) => Promise<void>,
  ) => Promise<Outcome>;
}

/**
 * `/lambda`: parse (pure, microseconds), acknowledge, then do the work. Nothing slow happens
 * before the ack: Slack gives up after 3 seconds, and AWS alone can take longer than that.
 */
export function registerCommandListener(app: App, deps: CommandListenerDeps): void {
  app.command('/lambda', async ({ command, ack, respond, context }) => {
    const started = typeof context.receivedAt === 'number' ? context.receivedAt : performance.now();
    const requestId = newId('r');
    const parsed = parseCommand(command.text);
    const name = parsed.ok ? parsed.command.verb : 'invalid';
    const log = deps.log.child({ request: requestId, user: command.user_id, channel: command.channel_id, verb: name });
    const acked = (outcome: string) => {
      deps.metrics.ack.observe({ type: 'command', name }, (performance.now() - started) / 1000);
      deps.metrics.requests.inc({ type: 'command', name, outcome });
    };

    if (!parsed.ok) {
      await ack(renderUsageProblem(parsed));
      acked('usage');
      log.info({ problem: parsed.problem }, 'command refused: usage');
      return;
    }
    const invocation: Invocation = { actor: command.user_id, channelId: command.channel_id, requestId };
    const progress = async (text: string) => void (await respond(ephemeral(text)));
    if (isImmediate(parsed.command)) {
      await ack(render(await deps.run(parsed.command, invocation, progress)));
      acked('ok');
      return;
    }
    await ack();
    acked('accepted');
    try {
      const outcome = await deps.run(parsed.command, invocation, progress);
      await respond(render(outcome));
      log.info({ outcome: outcome.kind, ms: Math.round(performance.now() - started) }, 'command done');
    } catch (thrown) {
      const error = asBotError(thrown);
      // Refusals are ordinary; only what the bot did not expect deserves a stack in the log.
      if (error.code === 'internal') log.error({ code: error.code, err: error.cause ?? error }, 'command failed');
      else log[logLevelOf(error.code)]({ code: error.code, reason: error.message }, 'command refused');
      await respond(renderError(error, requestId)).catch((e: unknown) =>
        log.warn({ err: e }, 'could not tell the user about the failure'),
      );
    }
  });
}
