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
 * A `rest` option takes the words that follow it up to the next `rest` option of the spec (so
 * `--reason TEXT --break-glass REASON…` reads as two texts); any other known option among them is
 * refused, since it would otherwise be swallowed into the text unseen. Words that only look like
 * options (`--no-cache` in a reason) stay part of the text.
 * @example splitArgs(['fn:prod', '3', '--bake', '10m'], { '--bake': 'value' })
 *   // → { positionals: ['fn:prod', '3'], options: Map { '--bake' => '10m' } }
 * @example splitArgs(['f:prod', '--reason', 'bad', 'deploy', '--break-glass', 'pager', 'fired'], { '--reason': 'rest', '--break-glass': 'rest' })
 *   // → options: Map { '--reason' => 'bad deploy', '--break-glass' => 'pager fired' }
 */
export function splitArgs(words: readonly string[], spec: OptionSpec): SplitArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    const name = optionName(word);
    if (name === undefined) {
      positionals.push(word);
      i++;
      continue;
    }
    const kind = spec[name];
    if (kind === undefined) throw unknownOption(name, spec);
    if (options.has(name)) throw new UsageProblem(`${name} is given twice`);
    // `--name=value`: the value is in the word itself.
    const inline = word.length > name.length ? word.slice(name.length + 1) : undefined;
    i++;
    if (kind === 'flag') {
      if (inline !== undefined) throw new UsageProblem(`${name} takes no value`);
      options.set(name, true);
    } else if (kind === 'rest') {
      const end = restEnd(words, i, name, spec);
      const text = [...(inline ? [inline] : []), ...words.slice(i, end)].join(' ');
      if (text.length === 0) throw new UsageProblem(`${name} needs a value`);
      options.set(name, text);
      i = end;
    } else if (inline !== undefined) {
      options.set(name, inline);
    } else {
      const value = words[i];
      if (value === undefined || isKnownOption(value, spec)) throw new UsageProblem(`${name} needs a value`);
      options.set(name, value);
      i++;
    }
  }
  return { positionals, options };
}

/** The option a word names (`--bake` of `--bake=10m`), or undefined for a plain word or a bare `--`. */
function optionName(word: string): string | undefined {
  if (!word.startsWith('--') || word.length === 2) return undefined;
  const eq = word.indexOf('=');
  return eq === -1 ? word : word.slice(0, eq);
}

function isKnownOption(word: string, spec: OptionSpec): boolean {
  const name = optionName(word);
  return name !== undefined && spec[name] !== undefined;
}

/**
 * Where the text of the rest option `name`, starting at `from`, ends: at the next rest option, or
 * the end of the line. A flag or value option inside it is refused rather than read as text.
 */
function restEnd(words: readonly string[], from: number, name: string, spec: OptionSpec): number {
  for (let end = from; end < words.length; end++) {
    const other = optionName(words[end] as string);
    const kind = other === undefined ? undefined : spec[other];
    if (kind === 'rest') return end;
    if (kind !== undefined) {
      throw new UsageProblem(`${name} takes the rest of the line, so it must come last: put ${other} before ${name}`);
    }
  }
  return words.length;
}

function unknownOption(name: string, spec: OptionSpec): UsageProblem {
  const known = Object.keys(spec);
  const hint = known.length === 0 ? 'this command takes no options' : `options: ${known.join(', ')}`;
  return new UsageProblem(`unknown option ${name} (${hint})`, { wrong: name, right: closest(name, known) });
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
