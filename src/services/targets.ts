import { BotError } from '../domain/errors.js';
import type { FunctionArg } from '../domain/grammar/values.js';

/**
 * The last check on an ARN a user pasted: the function AWS answered for must be in the ARN's region
 * and account. The Fleet resolves ARNs by the account IDs it knows; when the bot's own account ID is
 * unknown (STS did not answer at start), this is what keeps an ARN of another account from acting
 * on a same-named function of the bot's own.
 */
export function checkSameAccount(target: FunctionArg, arn: string): void {
  const [, , , region, account] = arn.split(':');
  if (target.region !== undefined && region !== undefined && target.region !== region) {
    throw new BotError('wrong-region', `that ARN is in ${target.region}, but ${target.fn} is in ${region}`);
  }
  if (target.account !== undefined && account !== undefined && target.account !== account) {
    throw new BotError(
      'wrong-region',
      `that ARN is in account ${target.account}, but ${target.fn} is in account ${account}`,
    );
  }
}
