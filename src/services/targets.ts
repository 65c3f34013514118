import { BotError } from '../domain/errors.js';
import type { FunctionArg } from '../domain/grammar/values.js';

/**
 * A user may paste an ARN. The policy is keyed by function name, so an ARN of another Region or
 * account must be refused, or `prod` in one account could be changed in the name of another's.
 */
export function checkSameAccount(target: FunctionArg, arn: string): void {
  const [, , , region, account] = arn.split(':');
  if (target.region !== undefined && region !== undefined && target.region !== region) {
    throw new BotError('wrong-region', `that ARN is in ${target.region}, but this bot manages ${region}`);
  }
  if (target.account !== undefined && account !== undefined && target.account !== account) {
    throw new BotError('wrong-region', `that ARN is in account ${target.account}, but this bot manages ${account}`);
  }
}
