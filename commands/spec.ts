import type { OptionSpec, SplitArgs } from '../src/domain/grammar/args.js';
import type { Outcome } from '../src/domain/outcome.js';
import type { Who } from '../src/services/gate.js';
import type { Services } from '../src/services/index.js';

/** Who is asking, where, and under which request ID (the `request` field of audit records). */
export interface Invocation {
  readonly actor: string;
  readonly channelId: string;
  readonly requestId: string;
}

export interface CommandContext {
  readonly invocation: Invocation;
  readonly services: Services;
  /** Tells the user something while the command is still working (ephemeral). */
  readonly progress: (text: string) => Promise<void>;
}

/** The actor and request of an invocation, as services take them. */
export function who(ctx: CommandContext): Who {
  return { actor: ctx.invocation.actor, request: ctx.invocation.requestId, channel: ctx.invocation.channelId };
}

/**
 * One `/lambda` subcommand: its grammar and what it does. `parse` is pure and strict: it
 * throws a UsageProblem for anything it does not fully understand, so a typo never runs.
 */
export interface CommandSpec<C extends { readonly verb: string }> {
  readonly verb: C['verb'];
  /** As shown to users, e.g. `promote FN:ALIAS V`. */
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpec;
  /** Answers from memory with no I/O, so the answer rides in the acknowledgement itself. */
  readonly immediate?: true;
  parse(args: SplitArgs): C;
  run(command: C, ctx: CommandContext): Promise<Outcome>;
}
