/**
 * Errors the bot expects and can explain. Each carries a code; one translator in the Slack
 * adapter turns codes into messages that tell the user what to do next.
 */
export type ErrorCode =
  /** Redis does not answer: the audit log cannot be written, so nothing may change. */
  | 'redis-unavailable'
  /** AWS did not answer or failed after retries. */
  | 'aws-unavailable'
  /** AWS refused the call for a reason the bot does not model; its message is kept. */
  | 'aws-refused'
  /** Slack's Web API refused or did not answer. */
  | 'slack-unavailable'
  | 'function-not-found'
  | 'alias-not-found'
  | 'version-not-found'
  /** The alias (or $LATEST) changed since it was read: nothing was applied. */
  | 'revision-conflict'
  /** Lambda is still applying an update to the function. */
  | 'update-in-progress'
  /** --expect-sha does not match the code in $LATEST. */
  | 'code-changed'
  /** The policy does not allow this actor this action here. */
  | 'not-permitted'
  /** Another change to the same alias is under way. */
  | 'busy'
  /** The request makes no sense in the alias's current state (e.g. shifting an alias on $LATEST). */
  | 'invalid-change'
  /** Not enough history to pick a default (e.g. rollback with no earlier version). */
  | 'needs-version'
  /** A button whose ID the bot never issued, or no longer knows. */
  | 'unknown-button'
  /** A request already decided, expired or stale: the click changes nothing more. */
  | 'already-decided'
  /** An ARN of another Region or account than the function the bot found under that name. */
  | 'wrong-region'
  /** A name or ARN that names no function the bot can act on, or several (CONTRACT §9). */
  | 'unknown-target'
  /**
   * The bot cannot get credentials for an account (its role cannot be assumed) or the account
   * does not take them in that region: nothing was changed there; other accounts still work.
   */
  | 'account-unavailable'
  /** The version has not passed the alias's promotion gates (CONTRACT §11); details hold the checklist. */
  | 'gates-not-met'
  /** Something the bot did not expect; details are in the log under the request ID. */
  | 'internal';

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BotError';
    this.details = options?.details ?? {};
  }

  /** Structured facts for the message (e.g. the alias's state now, who holds a lock). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Anything thrown, as a BotError: unknown errors become `internal`, keeping the original as the cause. */
export function asBotError(error: unknown): BotError {
  if (error instanceof BotError) return error;
  return new BotError('internal', error instanceof Error ? error.message : String(error), { cause: error });
}
