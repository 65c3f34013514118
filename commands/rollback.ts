import { expectAtMost, optionValue, required } from '../src/domain/grammar/args.js';
import { BREAK_GLASS, BREAK_GLASS_USAGE, breakGlass } from '../src/domain/grammar/break-glass.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { type AliasArg, aliasArg, version } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface RollbackCommand {
  readonly verb: 'rollback';
  readonly target: AliasArg;
  /** Absent: the version the alias served before its last change. */
  readonly version?: string;
  readonly reason?: string;
  /** The reason given with `--break-glass` (CONTRACT §11); absent otherwise. */
  readonly breakGlass?: string;
}

const MAX_REASON = 500;

export const rollback: CommandSpec<RollbackCommand> = {
  verb: 'rollback',
  usage: `rollback FN:ALIAS [V] [--reason TEXT] ${BREAK_GLASS_USAGE}`,
  summary: 'all traffic back to V, by default to the version the alias served before its last change',
  options: { '--reason': 'rest', [BREAK_GLASS]: 'rest' },
  parse(args) {
    expectAtMost(args, 2);
    const target = aliasArg(required(args, 0, 'FN:ALIAS'));
    const v = args.positionals[1];
    const reason = optionValue(args, '--reason');
    if (reason !== undefined && reason.length > MAX_REASON) {
      throw new UsageProblem(`the reason is ${reason.length} characters; keep it under ${MAX_REASON}`);
    }
    return {
      verb: 'rollback',
      target,
      ...(v === undefined ? {} : { version: version(v) }),
      ...(reason === undefined ? {} : { reason }),
      ...breakGlass(args),
    };
  },
  run: (command, ctx) =>
    ctx.services.release.rollback(who(ctx), command.target, command.version, command.reason, command.breakGlass),
};
