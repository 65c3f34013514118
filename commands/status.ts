import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type AliasArg, type FunctionArg, functionOrAliasArg } from '../src/domain/grammar/values.js';
import type { GatesView } from '../src/domain/outcome.js';
import type { CommandContext, CommandSpec } from './spec.js';

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
    const alias = 'alias' in target ? target.alias : undefined;
    const [status, alarms, gates] = await Promise.all([
      ctx.services.queries.status(target),
      ctx.services.alarms.statesOf(target, alias),
      alias === undefined ? undefined : gatesOf(ctx, target, alias),
    ]);
    return { ...status, alarms, ...(gates ? { gates } : {}) };
  },
};

/** The gates view is a courtesy: a status still answers when its facts cannot be read. */
async function gatesOf(ctx: CommandContext, target: FunctionArg, alias: string): Promise<GatesView | undefined> {
  try {
    return await ctx.services.gates.view(target, alias);
  } catch (error) {
    return { alias, note: `the gates could not be checked: ${(error as Error).message}` };
  }
}
