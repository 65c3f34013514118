import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../../src/domain/grammar/args.js';
import { UsageProblem } from '../../../src/domain/grammar/problem.js';
import { ok, problem } from '../../support/parse.js';

const REASON = 'pager fired, nobody awake';
const target = { fn: 'f', alias: 'prod' };

describe('--break-glass REASON… (CONTRACT §5, §11)', () => {
  it.each([
    [`promote f:prod 3 --break-glass ${REASON}`, { verb: 'promote', target, version: '3', breakGlass: REASON }],
    [
      `shift f:prod 3 12.5 --break-glass ${REASON}`,
      { verb: 'shift', target, version: '3', percent: 12.5, breakGlass: REASON },
    ],
    [`rollback f:prod 2 --break-glass ${REASON}`, { verb: 'rollback', target, version: '2', breakGlass: REASON }],
    [`rollback f:prod --break-glass ${REASON}`, { verb: 'rollback', target, breakGlass: REASON }],
  ])('ends %s', (text, command) => {
    expect(ok(text)).toEqual(command);
  });

  it('ends canary, after its own options', () => {
    expect(ok(`canary f:prod 3 AllAtOnce --bake 10m --judge --break-glass ${REASON}`)).toMatchObject({
      verb: 'canary',
      schedule: { steps: [100], preset: 'AllAtOnce' },
      bakeMs: 600_000,
      judge: true,
      breakGlass: REASON,
    });
    expect(ok(`canary f:prod 3 --steps 10,100 --every 1m --break-glass ${REASON}`)).toMatchObject({
      schedule: { steps: [10, 100], everyMs: 60_000 },
      breakGlass: REASON,
    });
  });

  it('a quoted reason and --break-glass=… read as the same reason', () => {
    expect(ok(`promote f:prod 3 --break-glass "${REASON}"`)).toMatchObject({ breakGlass: REASON });
    expect(ok(`promote f:prod 3 --break-glass=pager fired, nobody awake`)).toMatchObject({ breakGlass: REASON });
  });

  it('words that only look like options stay part of the reason', () => {
    expect(ok('promote f:prod 3 --break-glass deploy with --no-cache fixes it -- really')).toMatchObject({
      breakGlass: 'deploy with --no-cache fixes it -- really',
    });
  });

  describe('the reason', () => {
    it.each([
      ['two words', 'site down'],
      ['three words under 12 characters', 'it is down'],
      ['blank after quotes', '"   "'],
    ])('is refused when too short: %s', (_, reason) => {
      expect(problem(`promote f:prod 3 --break-glass ${reason}`).problem).toMatch(
        /--break-glass needs a reason of at least 3 words/,
      );
    });

    it('of three words and 12 characters is enough', () => {
      expect(ok('promote f:prod 3 --break-glass site is down')).toMatchObject({ breakGlass: 'site is down' });
    });

    it('is refused when over 500 characters, saying how long it is', () => {
      const reason = Array.from({ length: 101 }, () => 'word').join(' ');
      expect(problem(`shift f:prod 3 50 --break-glass ${reason}`).problem).toBe(
        `the break-glass reason is ${reason.length} characters; keep it under 500`,
      );
    });

    it.each(['promote f:prod 3', 'shift f:prod 3 50', 'canary f:prod 3', 'rollback f:prod'])(
      'is required: %s --break-glass',
      (command) => {
        expect(problem(`${command} --break-glass`).problem).toBe('--break-glass needs a value');
      },
    );

    it('is refused with the usage of the command', () => {
      expect(problem('shift f:prod 3 50 --break-glass now').usage).toBe(
        'shift FN:ALIAS V PERCENT [--break-glass REASON…]',
      );
    });
  });

  describe('rollback with both --reason and --break-glass', () => {
    it('each rest option stops at the other', () => {
      expect(ok('rollback f:prod 3 --reason bad deploy --break-glass pager fired, nobody awake')).toEqual({
        verb: 'rollback',
        target,
        version: '3',
        reason: 'bad deploy',
        breakGlass: REASON,
      });
      expect(ok('rollback f:prod --break-glass pager fired, nobody awake --reason bad deploy')).toEqual({
        verb: 'rollback',
        target,
        reason: 'bad deploy',
        breakGlass: REASON,
      });
    });

    it('an empty --reason before --break-glass is refused', () => {
      expect(problem(`rollback f:prod --reason --break-glass ${REASON}`).problem).toBe('--reason needs a value');
    });

    it('--break-glass given twice is refused', () => {
      expect(problem(`rollback f:prod --break-glass ${REASON} --break-glass again and again`).problem).toBe(
        '--break-glass is given twice',
      );
    });
  });

  it('another option after --break-glass is refused, naming both', () => {
    const result = problem('canary f:prod 5 --break-glass site is down now --judge');
    expect(result.problem).toBe(
      '--break-glass takes the rest of the line, so it must come last: put --judge before --break-glass',
    );
    expect(problem(`canary f:prod 5 --break-glass ${REASON} --bake=10m`).problem).toMatch(/put --bake before/);
    expect(problem(`canary f:prod 5 --break-glass ${REASON} --steps 10,100 --every 1m`).problem).toMatch(
      /put --steps before --break-glass/,
    );
  });

  it('a typo of the option gets the did-you-mean suggestion', () => {
    const result = problem(`promote f:prod 3 --break-glas ${REASON}`);
    expect(result.problem).toMatch(/unknown option --break-glas/);
    expect(result.suggestion).toBe(`promote f:prod 3 --break-glass ${REASON}`);
    expect(problem(`canary f:prod 3 --brake-glass ${REASON}`).suggestion).toBe(
      `canary f:prod 3 --break-glass ${REASON}`,
    );
  });

  it('is not an option of the other verbs', () => {
    expect(problem(`publish f --break-glass ${REASON}`).problem).toMatch(/unknown option --break-glass/);
    expect(problem(`pause f:prod --break-glass ${REASON}`).problem).toMatch(/unknown option --break-glass/);
  });

  it('without it, the commands are exactly as before', () => {
    expect(ok('promote f:prod 3')).toEqual({ verb: 'promote', target, version: '3' });
    expect(ok('shift f:prod 3 10')).toEqual({ verb: 'shift', target, version: '3', percent: 10 });
    expect(ok('rollback f:prod 3 --reason error rate up 5x')).toEqual({
      verb: 'rollback',
      target,
      version: '3',
      reason: 'error rate up 5x',
    });
    expect(ok('canary f:prod 3 --judge')).not.toHaveProperty('breakGlass');
  });
});

describe('splitArgs: rest options', () => {
  const spec = { '--reason': 'rest', '--break-glass': 'rest', '--bake': 'value', '--judge': 'flag' } as const;

  it('a rest option takes every word to the next rest option', () => {
    const args = splitArgs(['f:prod', '--reason', 'a', 'b', '--break-glass', 'c', 'd', 'e'], spec);
    expect(args.positionals).toEqual(['f:prod']);
    expect(Object.fromEntries(args.options)).toEqual({ '--reason': 'a b', '--break-glass': 'c d e' });
  });

  it('a known flag or value option inside the text is a UsageProblem', () => {
    expect(() => splitArgs(['--reason', 'a', '--judge'], spec)).toThrow(UsageProblem);
    expect(() => splitArgs(['--reason', 'a', '--bake', '1m'], spec)).toThrow(/put --bake before --reason/);
  });

  it('a value option does not take a known option as its value', () => {
    expect(() => splitArgs(['--bake', '--judge'], spec)).toThrow('--bake needs a value');
    expect(() => splitArgs(['--bake', '--reason=x'], spec)).toThrow('--bake needs a value');
  });
});
