/**
 * Errors the bot expects and can explain. Each carries a code; one translator in the Slack
 * adapter turns codes into messages that tell the user what to do next.
 */
export type ErrorCode =
  /** Redis does not answer: the audit log cannot be written, so nothing may change. */
  | 'redis-unavailable'
  /** AWS did not answer or failed after retries. */
  | 'aws-unavailable'
  /** Slack's Web API refused or did not answer. */
  | 'slack-unavailable'
  /** Something the bot did not expect; details are in the log under the request ID. */
  | 'internal';

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BotError';
  }
}

/** Anything thrown, as a BotError: unknown errors become `internal`, keeping the original as the cause. */
export function asBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  return new BotError('internal', error instanceof Error ? error.message : String(error), { cause: error });
}
