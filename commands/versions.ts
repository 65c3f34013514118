import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { count, type FunctionArg, functionArg } from '../src/domain/grammar/values.js';
import type { CommandSpec } from './spec.js';

export interface VersionsCommand {
  readonly verb: 'versions';
  readonly target: FunctionArg;
  readonly limit: number;
}

export const DEFAULT_VERSIONS = 10;
export const MAX_VERSIONS = 50;

export const versions: CommandSpec<VersionsCommand> = {
  verb: 'versions',
  usage: 'versions FN [N]',
  summary: 'the newest N versions: number, description, CodeSha256 prefix, date',
  options: {},
  parse(args) {
    expectAtMost(args, 2);
    const target = functionArg(required(args, 0, 'the function'));
    const n = args.positionals[1];
    return { verb: 'versions', target, limit: n === undefined ? DEFAULT_VERSIONS : count(n, MAX_VERSIONS, 'N') };
  },
  run: (command, ctx) => ctx.services.queries.versions(command.target, command.limit),
};
