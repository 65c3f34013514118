import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type AliasArg, type FunctionArg, functionOrAliasArg } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface UnfreezeCommand {
  readonly verb: 'unfreeze';
  readonly target: FunctionArg | AliasArg;
}

export const unfreeze: CommandSpec<UnfreezeCommand> = {
  verb: 'unfreeze',
  usage: 'unfreeze FN[:ALIAS]',
  summary: 'lift a freeze',
  options: {},
  parse(args) {
    expectAtMost(args, 1);
    return { verb: 'unfreeze', target: functionOrAliasArg(required(args, 0, 'the function')) };
  },
  run: (command, ctx) => ctx.services.freezes.unfreeze(who(ctx), command.target),
};
