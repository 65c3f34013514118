import { expectAtMost } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { closest } from '../src/domain/grammar/suggest.js';
import type { CommandSpec } from './spec.js';

export interface HelpCommand {
  readonly verb: 'help';
  /** A single verb to explain; absent for the whole list. */
  readonly topic?: string;
}

type Catalog = () => readonly Pick<CommandSpec<{ verb: string }>, 'verb' | 'usage' | 'summary'>[];

/** `help` lists every command; it takes the catalog as an argument so that the registry imports it, not the reverse. */
export function helpCommand(catalog: Catalog): CommandSpec<HelpCommand> {
  return {
    verb: 'help',
    usage: 'help [COMMAND]',
    summary: 'usage of every command, or of one',
    options: {},
    immediate: true,
    parse(args) {
      expectAtMost(args, 1);
      const topic = args.positionals[0]?.toLowerCase();
      if (topic === undefined) return { verb: 'help' };
      const verbs = catalog().map((c) => c.verb);
      if (!verbs.includes(topic)) {
        throw new UsageProblem(`there is no command "${topic.slice(0, 40)}"`, {
          wrong: topic,
          right: closest(topic, verbs),
        });
      }
      return { verb: 'help', topic };
    },
    run(command) {
      const all = catalog();
      const shown = command.topic === undefined ? all : all.filter((c) => c.verb === command.topic);
      return Promise.resolve({ kind: 'help', commands: shown.map(({ usage, summary }) => ({ usage, summary })) });
    },
  };
}
