import { UsageProblem } from './problem.js';
import { closest } from './suggest.js';

/** How an option takes its value: a flag has none, `value` takes the next word, `rest` takes all that follow. */
export type OptionKind = 'flag' | 'value' | 'rest';
export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface SplitArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/**
 * Separates positional words from `--options`, refusing unknown, repeated or valueless options.
 * @example splitArgs(['fn:prod', '3', '--bake', '10m'], { '--bake': 'value' })
 *   // → { positionals: ['fn:prod', '3'], options: Map { '--bake' => '10m' } }
 */
export function splitArgs(words: readonly string[], spec: OptionSpec): SplitArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('--') || word.length === 2) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    const kind = spec[name];
    if (kind === undefined) {
      const known = Object.keys(spec);
      const guess = closest(name, known);
      const hint = known.length === 0 ? 'this command takes no options' : `options: ${known.join(', ')}`;
      throw new UsageProblem(`unknown option ${name} (${hint})`, { wrong: name, right: guess });
    }
    if (options.has(name)) throw new UsageProblem(`${name} is given twice`);
    if (kind === 'flag') {
      if (eq !== -1) throw new UsageProblem(`${name} takes no value`);
      options.set(name, true);
    } else if (eq !== -1) {
      options.set(name, word.slice(eq + 1));
    } else if (kind === 'rest') {
      const rest = words.slice(i + 1).join(' ');
      if (rest.length === 0) throw new UsageProblem(`${name} needs a value`);
      options.set(name, rest);
      break;
    } else {
      const value = words[i + 1];
      if (value === undefined || (value.startsWith('--') && spec[value] !== undefined)) {
        throw new UsageProblem(`${name} needs a value`);
      }
      options.set(name, value);
      i++;
    }
  }
  return { positionals, options };
}

/** The value of a `value`/`rest` option, if given. */
export function optionValue(args: SplitArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** Refuses positional words beyond those the command takes. */
export function expectAtMost(args: SplitArgs, count: number): void {
  const extra = args.positionals.slice(count);
  if (extra.length > 0) throw new UsageProblem(`unexpected "${extra.join(' ').slice(0, 60)}"`);
}

/** The positional word at `index`, or a problem naming what is missing. */
export function required(args: SplitArgs, index: number, what: string): string {
  const word = args.positionals[index];
  if (word === undefined) throw new UsageProblem(`${what} is missing`);
  return word;
}
