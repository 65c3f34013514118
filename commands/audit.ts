import { expectAtMost, required } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import type { CommandSpec } from './spec.js';

export interface AuditCommand {
  readonly verb: 'audit';
  readonly action: 'verify';
}

export const audit: CommandSpec<AuditCommand> = {
  verb: 'audit',
  usage: 'audit verify',
  summary: 'check the audit chain',
  options: {},
  parse(args) {
    expectAtMost(args, 1);
    const action = required(args, 0, '"verify"');
    if (action !== 'verify')
      throw new UsageProblem(`audit knows only "verify", not "${action.slice(0, 40)}"`, {
        wrong: action,
        right: 'verify',
      });
    return { verb: 'audit', action };
  },
  run: (_command, ctx) => ctx.services.queries.verify(),
};
