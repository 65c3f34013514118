import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommand } from '../../../commands/index.js';

const verbs = COMMANDS.map((c) => c.verb);
const word = fc.oneof(
  fc.constantFrom(
    ...verbs,
    'fn:prod',
    'payments-api',
    '42',
    'v7',
    '$LATEST',
    '12.5',
    '--steps',
    '--every',
    '--bake',
    '5m',
  ),
  fc.constantFrom(
    '--judge',
    '--reason',
    '--break-glass',
    '--expect-sha',
    'Canary10Percent5Minutes',
    '"',
    '\u201C',
    "'",
    '&amp;',
    ':',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

describe('parseCommand never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        expect(() => parseCommand(text)).not.toThrow();
      }),
      { numRuns: 5000 },
    );
  });

  it('on text built from the grammar’s own words', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), fc.constantFrom(' ', '  ', '\t', '\u00a0'), (words, sep) => {
        const result = parseCommand(words.join(sep));
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 5000 },
    );
  });

  it('a refused command always names its problem and never carries a command', () => {
    fc.assert(
      fc.property(fc.constantFrom(...verbs), fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }), (verb, rest) => {
        const result = parseCommand([verb, ...rest].join(' '));
        if (result.ok) expect(result.command.verb).toBe(verb);
        else expect(result).not.toHaveProperty('command');
      }),
      { numRuns: 3000 },
    );
  });
});
