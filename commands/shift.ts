import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { BREAK_GLASS, BREAK_GLASS_USAGE, breakGlass } from '../src/domain/grammar/break-glass.js';
import { type AliasArg, aliasArg, percent, version } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface ShiftCommand {
  readonly verb: 'shift';
  readonly target: AliasArg;
  readonly version: string;
  /** 0–100 with at most one decimal. */
  readonly percent: number;
  /** The reason given with `--break-glass` (CONTRACT §11); absent otherwise. */
  readonly breakGlass?: string;
}

export const shift: CommandSpec<ShiftCommand> = {
  verb: 'shift',
  usage: `shift FN:ALIAS V PERCENT ${BREAK_GLASS_USAGE}`,
  summary: "PERCENT (0–100, up to one decimal) of traffic to V, the rest to the alias's current version",
  options: { [BREAK_GLASS]: 'rest' },
  parse(args) {
    expectAtMost(args, 3);
    const target = aliasArg(required(args, 0, 'FN:ALIAS'));
    const v = version(required(args, 1, 'the version V'));
    return { verb: 'shift', target, version: v, percent: percent(required(args, 2, 'PERCENT')), ...breakGlass(args) };
  },
  run: (command, ctx) =>
    ctx.services.release.shift(who(ctx), command.target, command.version, command.percent, command.breakGlass),
};
