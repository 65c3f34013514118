import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { type FunctionArg, functionArg, version } from '../src/domain/grammar/values.js';
import type { CommandSpec } from './spec.js';

export interface DiffCommand {
  readonly verb: 'diff';
  readonly target: FunctionArg;
  /** A version number, or `$LATEST` to see what the next publish would ship. */
  readonly from: string;
  readonly to: string;
}

/** Unlike writes, a diff may look at $LATEST: it shows what the next publish would ship. */
function diffVersion(word: string, what: string): string {
  return word === '$LATEST' ? word : version(word, what);
}

export const diff: CommandSpec<DiffCommand> = {
  verb: 'diff',
  usage: 'diff FN V1 V2',
  summary: 'what differs between two versions: code hash, runtime, memory, timeout, layers, environment variable names',
  options: {},
  parse(args) {
    expectAtMost(args, 3);
    const target = functionArg(required(args, 0, 'the function'));
    const from = diffVersion(required(args, 1, 'V1'), 'V1');
    const to = diffVersion(required(args, 2, 'V2'), 'V2');
    if (from === to) throw new UsageProblem(`V1 and V2 are the same version (${from})`);
    return { verb: 'diff', target, from, to };
  },
  run: (command, ctx) => ctx.services.queries.diff(command.target, command.from, command.to),
};
