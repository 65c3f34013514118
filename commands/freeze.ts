import { required } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { type AliasArg, type FunctionArg, functionOrAliasArg } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface FreezeCommand {
  readonly verb: 'freeze';
  readonly target: FunctionArg | AliasArg;
  readonly reason: string;
}

const MAX_REASON = 500;

export const freeze: CommandSpec<FreezeCommand> = {
  verb: 'freeze',
  usage: 'freeze FN[:ALIAS] REASON…',
  summary: 'block promote, shift and canary (not rollback) on a function or one alias',
  options: {},
  parse(args) {
    const target = functionOrAliasArg(required(args, 0, 'the function'));
    const reason = args.positionals.slice(1).join(' ');
    if (reason.length === 0) throw new UsageProblem('say why: the reason is shown to everyone the freeze stops');
    if (reason.length > MAX_REASON)
      throw new UsageProblem(`the reason is ${reason.length} characters; keep it under ${MAX_REASON}`);
    return { verb: 'freeze', target, reason };
  },
  run: (command, ctx) => ctx.services.freezes.freeze(who(ctx), command.target, command.reason),
};
