import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type AliasArg, count, type FunctionArg, functionOrAliasArg } from '../src/domain/grammar/values.js';
import type { CommandSpec } from './spec.js';

export interface HistoryCommand {
  readonly verb: 'history';
  readonly target: FunctionArg | AliasArg;
  readonly limit: number;
}

export const DEFAULT_HISTORY = 10;
export const MAX_HISTORY = 50;

export const history: CommandSpec<HistoryCommand> = {
  verb: 'history',
  usage: 'history FN[:ALIAS] [N]',
  summary: 'the newest N audit records',
  options: {},
  parse(args) {
    expectAtMost(args, 2);
    const target = functionOrAliasArg(required(args, 0, 'the function'));
    const n = args.positionals[1];
    return { verb: 'history', target, limit: n === undefined ? DEFAULT_HISTORY : count(n, MAX_HISTORY, 'N') };
  },
  run: (command, ctx) => ctx.services.queries.history(command.target, command.limit),
};
