/**
 * Mutations of valid input for the fuzz tests: flipped, deleted and inserted characters,
 * truncations, duplicated and swapped tokens, huge and odd numbers, Unicode (zero-width, bidi
 * overrides, emoji, full-width letters, other spaces), quotes, Slack escapes, extra options.
 */
import fc from 'fast-check';

/** One valid text per command form, options included. */
export const VALID_COMMANDS = [
  'help',
  'help promote',
  'status payments-api',
  'status payments-api:prod',
  'versions payments-api 5',
  'diff payments-api 3 4',
  'history payments-api:prod 20',
  'alarms payments-api',
  'publish payments-api --expect-sha abc123 Fraud score on charge metadata',
  'promote payments-api:prod 42',
  'promote arn:aws:lambda:us-east-1:123456789012:function:payments-api:prod v42',
  'shift payments-api:prod 4 12.5',
  'canary payments-api:prod 4 Canary10Percent5Minutes --judge',
  'canary payments-api:prod 4 --steps 10,25,50,100 --every 5m --bake 10m',
  'pause payments-api:prod',
  'resume payments-api:prod',
  'abort payments-api:prod',
  'rollback payments-api:prod 3 --reason "p99 doubled"',
  'rollback payments-api:prod',
  'freeze payments-api:prod release train, back Monday',
  'unfreeze payments-api',
  'audit verify',
];

const ODD = [
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\u00a0',
  '\u3000',
  '\t',
  '\n',
  '🚀',
  '👩‍💻',
  'ｐｒｏｍｏｔｅ',
  'é',
  'e\u0301',
  'İ',
  'ſ',
  'K',
  '"',
  "'",
  '“',
  '”',
  '‘',
  '&amp;',
  '&lt;',
  '&gt;',
  '%',
  ':',
  '--',
  '=',
  '\u0000',
  '\ud800',
];
const NUMBERS = ['0', '-1', '1e309', '9'.repeat(40), '4.2', '100.05', 'NaN', 'Infinity', '0x2a', '٤٢', '+5', '007'];
const OPTIONS = ['--steps 10,,100', '--every 0s', '--bake 99999h', '--judge=1', '--reason', '--steps', '--x', '-- --'];

type Op = readonly [kind: number, at: number, pick: number, char: string];

const op: fc.Arbitrary<Op> = fc.tuple(
  fc.nat(15),
  fc.nat(10_000),
  fc.nat(1000),
  fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })),
);

function at<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

function apply(text: string, [kind, pos, pick, char]: Op): string {
  const i = text.length === 0 ? 0 : pos % (text.length + 1);
  const words = text.split(' ');
  const w = pick % Math.max(words.length, 1);
  switch (kind) {
    case 0:
      return text.slice(0, i) + char + text.slice(i + 1);
    case 1:
      return text.slice(0, i) + text.slice(i + 1);
    case 2:
      return text.slice(0, i) + char + text.slice(i);
    case 3:
      return text.slice(0, i);
    case 4:
      return [...words.slice(0, w + 1), ...words.slice(w)].join(' ');
    case 5: {
      const v = pos % Math.max(words.length, 1);
      const swapped = [...words];
      [swapped[w], swapped[v]] = [words[v] as string, words[w] as string];
      return swapped.join(' ');
    }
    case 6:
      return words.map((x, k) => (k === w || /^v?\d/.test(x) ? at(NUMBERS, pick + k) : x)).join(' ');
    case 7:
      return text.slice(0, i) + at(ODD, pick) + text.slice(i);
    case 8:
      return pick % 2 ? text.toUpperCase() : words.map((x, k) => (k === w ? x.toUpperCase() : x)).join(' ');
    case 9:
      return text.replaceAll(' ', at([' \t', '\n', '\u00a0', '\u3000', '  ', ''], pick));
    case 10:
      return words.map((x, k) => (k === w ? at(['"', "'", '“', '‘'], pick) + x + (pick % 3 ? '' : '"') : x)).join(' ');
    case 11:
      return `${text} ${at(OPTIONS, pick)}`;
    case 12:
      // Repeated up to about 6,000 characters: past the 4,000 a command may have, yet quick to build.
      return text.repeat(Math.max(1, Math.min(1 + (pick % 300), Math.floor(6_000 / Math.max(1, text.length)))));
    case 13:
      return text.slice(0, i) + at(['&amp;', '&lt;', '&gt;', '&amp;lt;', '&'], pick) + text.slice(i);
    case 14:
      return `${at(ODD, pick)}${text}`;
    default:
      return words.map((x, k) => (k === w ? x.split('').reverse().join('') : x)).join(' ');
  }
}

/** Edits confined to the first word (the verb): the typos a user makes. */
function applyToVerb(text: string, [kind, pos, , char]: Op): string {
  const space = text.indexOf(' ');
  const verb = space === -1 ? text : text.slice(0, space);
  const rest = space === -1 ? '' : text.slice(space);
  const i = pos % (verb.length + 1);
  const edits = [
    () => verb.slice(0, i) + char + verb.slice(i + 1),
    () => verb.slice(0, i) + verb.slice(i + 1),
    () => verb.slice(0, i) + char + verb.slice(i),
    () => verb.slice(0, i) + (verb[i + 1] ?? '') + (verb[i] ?? '') + verb.slice(i + 2),
    () => verb.slice(0, Math.max(1, i)),
  ];
  return at(edits, kind)() + rest;
}

/** 1 to 4 mutations of a valid input; `verb` keeps them to its first word. */
export function mutated(valid: fc.Arbitrary<string>, where: 'anywhere' | 'verb' = 'anywhere'): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.array(op, { minLength: 1, maxLength: 4 }))
    .map(([text, ops]) => ops.reduce((t, o) => (where === 'verb' ? applyToVerb(t, o) : apply(t, o)), text))
    .filter((text) => where === 'anywhere' || text.length > 0);
}
