import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type AliasArg, type FunctionArg, functionOrAliasArg } from '../src/domain/grammar/values.js';
import type { CommandSpec } from './spec.js';

export interface StatusCommand {
  readonly verb: 'status';
  readonly target: FunctionArg | AliasArg;
}

export const status: CommandSpec<StatusCommand> = {
  verb: 'status',
  usage: 'status FN[:ALIAS]',
  summary: 'aliases, their versions and weights, rollouts under way, alarm states',
  options: {},
  parse(args) {
    expectAtMost(args, 1);
    return { verb: 'status', target: functionOrAliasArg(required(args, 0, 'the function')) };
  },
  async run(command, ctx) {
    const { target } = command;
    const [status, alarms] = await Promise.all([
      ctx.services.queries.status(target),
      ctx.services.alarms.statesOf(target, 'alias' in target ? target.alias : undefined),
    ]);
    return { ...status, alarms };
  },
};
