import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { type AliasArg, aliasArg } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

/** `pause`, `resume` and `abort` share one grammar: they name the alias whose rollout they control. */
export interface RolloutControlCommand<V extends 'pause' | 'resume' | 'abort'> {
  readonly verb: V;
  readonly target: AliasArg;
}

export function rolloutControl<V extends 'pause' | 'resume' | 'abort'>(
  verb: V,
  summary: string,
): CommandSpec<RolloutControlCommand<V>> {
  return {
    verb,
    usage: `${verb} FN:ALIAS`,
    summary,
    options: {},
    parse(args) {
      expectAtMost(args, 1);
      return { verb, target: aliasArg(required(args, 0, 'FN:ALIAS')) };
    },
    run: (command, ctx) => ctx.services.rollouts.control(who(ctx), verb, command.target),
  };
}
