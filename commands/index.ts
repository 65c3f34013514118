/**
 * The registry of `/lambda` subcommands and the one entry point that turns text into a typed
 * command. Nothing registers itself on import: the list below is the whole catalogue.
 */
import { splitArgs } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { closest } from '../src/domain/grammar/suggest.js';
import { tokenize } from '../src/domain/grammar/tokenize.js';
import type { Outcome } from '../src/domain/outcome.js';
import { abort } from './abort.js';
import { alarms } from './alarms.js';
import { audit } from './audit.js';
import { canary } from './canary.js';
import { diff } from './diff.js';
import { freeze } from './freeze.js';
import { helpCommand } from './help.js';
import { history } from './history.js';
import { pause } from './pause.js';
import { promote } from './promote.js';
import { publish } from './publish.js';
import { resume } from './resume.js';
import { rollback } from './rollback.js';
import { shift } from './shift.js';
import type { CommandContext, CommandSpec } from './spec.js';
import { status } from './status.js';
import { unfreeze } from './unfreeze.js';
import { versions } from './versions.js';

const help = helpCommand(() => COMMANDS);

/** In the order `help` lists them: reads first, then changes, then controls. */
export const COMMANDS = [
  help,
  status,
  versions,
  diff,
  history,
  alarms,
  publish,
  promote,
  shift,
  canary,
  pause,
  resume,
  abort,
  rollback,
  freeze,
  unfreeze,
  audit,
] as const;

type AnySpec = (typeof COMMANDS)[number];
/** Every command the grammar can produce, discriminated by `verb`. */
export type Command = ReturnType<AnySpec['parse']>;
export type Verb = Command['verb'];

const BY_VERB: ReadonlyMap<string, AnySpec> = new Map(COMMANDS.map((c) => [c.verb, c]));
const VERBS = COMMANDS.map((c) => c.verb);

export type ParseResult =
  | { readonly ok: true; readonly command: Command }
  | {
      readonly ok: false;
      readonly problem: string;
      /** The usage of the command meant (or nearest); absent when no command is near. */
      readonly usage?: string;
      /** The whole command text with the likely typo corrected. */
      readonly suggestion?: string;
    };

/**
 * Parses the text after `/lambda`. Never throws: anything not understood comes back as a
 * problem with the nearest usage, so that a typo can never run a command.
 * @example parseCommand('promote payments-api:prod 42') → { ok: true, command: { verb: 'promote', … } }
 */
export function parseCommand(text: string): ParseResult {
  const tokens = tokenize(text);
  if (!tokens.ok) return { ok: false, problem: tokens.problem };
  const [first, ...rest] = tokens.words;
  if (first === undefined) return { ok: true, command: { verb: 'help' } };
  const verb = first.toLowerCase();
  const spec = BY_VERB.get(verb);
  if (!spec) {
    const guess = closest(verb, VERBS);
    const problem = `unknown command "${first.slice(0, 40)}"`;
    if (guess === undefined) return { ok: false, problem };
    return { ok: false, problem, usage: usageOf(guess), suggestion: [guess, ...rest].join(' ') };
  }
  try {
    return { ok: true, command: spec.parse(splitArgs(rest, spec.options)) };
  } catch (error) {
    if (!(error instanceof UsageProblem)) throw error;
    const fixed = error.fix && correct(tokens.words, error.fix.wrong, error.fix.right);
    return { ok: false, problem: error.message, usage: spec.usage, ...(fixed ? { suggestion: fixed } : {}) };
  }
}

/** Runs a parsed command. */
export function runCommand(command: Command, ctx: CommandContext): Promise<Outcome> {
  const spec = BY_VERB.get(command.verb) as CommandSpec<Command>;
  return spec.run(command, ctx);
}

/** True for commands answered in the acknowledgement (no I/O), such as `help`. */
export function isImmediate(command: Command): boolean {
  return BY_VERB.get(command.verb)?.immediate === true;
}

export function usageOf(verb: string): string | undefined {
  return BY_VERB.get(verb)?.usage;
}

/** Replaces the mistyped word (or the name part of `--name=value`) to show the corrected command. */
function correct(words: readonly string[], wrong: string, right: string): string | undefined {
  const index = words.findIndex((w, i) => i > 0 && (w === wrong || w.startsWith(`${wrong}=`)));
  if (index === -1) return undefined;
  const fixed = [...words];
  fixed[index] = right + (words[index] as string).slice(wrong.length);
  return fixed.map((w) => (/\s/.test(w) || w === '' ? `"${w}"` : w)).join(' ');
}
