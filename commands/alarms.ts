import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type FunctionArg, functionArg } from '../src/domain/grammar/values.js';
import type { CommandSpec } from './spec.js';

export interface AlarmsCommand {
  readonly verb: 'alarms';
  readonly target: FunctionArg;
}

export const alarms: CommandSpec<AlarmsCommand> = {
  verb: 'alarms',
  usage: 'alarms FN',
  summary: 'the alarms watched for FN and their states',
  options: {},
  parse(args) {
    expectAtMost(args, 1);
    return { verb: 'alarms', target: functionArg(required(args, 0, 'the function')) };
  },
  run: (command, ctx) => ctx.services.alarms.list(command.target),
};
