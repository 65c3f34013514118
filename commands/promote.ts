import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { BREAK_GLASS, BREAK_GLASS_USAGE, breakGlass } from '../src/domain/grammar/break-glass.js';
import { type AliasArg, aliasArg, version } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface PromoteCommand {
  readonly verb: 'promote';
  readonly target: AliasArg;
  readonly version: string;
  /** The reason given with `--break-glass` (CONTRACT §11); absent otherwise. */
  readonly breakGlass?: string;
}

export const promote: CommandSpec<PromoteCommand> = {
  verb: 'promote',
  usage: `promote FN:ALIAS V ${BREAK_GLASS_USAGE}`,
  summary: 'the alias sends 100% of traffic to version V',
  options: { [BREAK_GLASS]: 'rest' },
  parse(args) {
    expectAtMost(args, 2);
    const target = aliasArg(required(args, 0, 'FN:ALIAS'));
    return { verb: 'promote', target, version: version(required(args, 1, 'the version V')), ...breakGlass(args) };
  },
  run: (command, ctx) => ctx.services.release.promote(who(ctx), command.target, command.version, command.breakGlass),
};
