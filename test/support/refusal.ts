import { BotError } from '../../src/domain/errors.js';

/** The BotError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<BotError> {
  const e = await promise.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof BotError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}
