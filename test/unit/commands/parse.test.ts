import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { ok, problem } from '../../support/parse.js';

describe('verbs', () => {
  it('empty text is help', () => {
    expect(ok('')).toEqual({ verb: 'help' });
    expect(ok('   ')).toEqual({ verb: 'help' });
  });

  it('verbs are case-insensitive', () => {
    expect(ok('STATUS payments-api')).toMatchObject({ verb: 'status' });
  });

  it('an unknown verb near a real one suggests the corrected command and its usage', () => {
    const result = problem('promte payments-api:prod 42');
    expect(result.problem).toBe('unknown command "promte"');
    expect(result.suggestion).toBe('promote payments-api:prod 42');
    expect(result.usage).toBe('promote FN:ALIAS V [--break-glass REASON…]');
  });

  it('an unknown verb far from all gets no guess', () => {
    const result = problem('deploy everything');
    expect(result.suggestion).toBeUndefined();
    expect(result.usage).toBeUndefined();
  });

  it('every verb of CONTRACT §5 is registered', () => {
    expect(COMMANDS.map((c) => c.verb).sort()).toEqual(
      [
        'abort',
        'alarms',
        'audit',
        'canary',
        'diff',
        'freeze',
        'help',
        'history',
        'pause',
        'promote',
        'publish',
        'resume',
        'rollback',
        'shift',
        'status',
        'unfreeze',
        'versions',
      ].sort(),
    );
  });
});

describe('help', () => {
  it('takes an optional command', () => {
    expect(ok('help promote')).toEqual({ verb: 'help', topic: 'promote' });
    expect(problem('help promte').suggestion).toBe('help promote');
  });
});

describe('targets', () => {
  it('FN:ALIAS and alias ARNs', () => {
    expect(ok('promote payments-api:prod 42')).toEqual({
      verb: 'promote',
      target: { fn: 'payments-api', alias: 'prod' },
      version: '42',
    });
    expect(ok('promote arn:aws:lambda:us-east-1:123456789012:function:payments-api:prod 42')).toMatchObject({
      target: { fn: 'payments-api', alias: 'prod', region: 'us-east-1', account: '123456789012' },
    });
  });

  it('an alias is required where the command moves traffic', () => {
    expect(problem('promote payments-api 42').problem).toMatch(/names no alias.*payments-api:prod/);
  });

  it('an all-digit alias is refused (it would be a version)', () => {
    expect(problem('promote payments-api:42 43').problem).toMatch(/all digits/);
  });

  it('a function name over 64 characters is refused', () => {
    expect(problem(`status ${'f'.repeat(65)}`).problem).toMatch(/longer than 64/);
  });

  it('commands on a function refuse a qualifier', () => {
    expect(problem('versions payments-api:prod').problem).toMatch(/give a function here/);
    expect(problem('publish payments-api:prod').problem).toMatch(/give a function here/);
  });

  it('status, history and freeze take either', () => {
    expect(ok('status payments-api')).toEqual({ verb: 'status', target: { fn: 'payments-api' } });
    expect(ok('status payments-api:prod')).toEqual({ verb: 'status', target: { fn: 'payments-api', alias: 'prod' } });
  });
});

describe('versions', () => {
  it.each([
    ['42', '42'],
    ['v42', '42'],
  ])('accepts %s', (word, version) => {
    expect(ok(`promote fn:prod ${word}`)).toMatchObject({ version });
  });

  it.each(['$LATEST', 'latest', '4.2', '-1', 'v'])('refuses %j', (word) => {
    expect(problem(`promote fn:prod ${word}`).usage).toBe('promote FN:ALIAS V [--break-glass REASON…]');
  });

  it('$LATEST is refused with the reason', () => {
    expect(problem('promote fn:prod $LATEST').problem).toMatch(/publish it first/);
  });
});

describe('shift', () => {
  it.each([
    ['25', 25],
    ['25%', 25],
    ['12.5', 12.5],
    ['0', 0],
    ['100', 100],
    ['0.1', 0.1],
  ])('percent %s', (word, percent) => {
    expect(ok(`shift fn:prod 43 ${word}`)).toEqual({
      verb: 'shift',
      target: { fn: 'fn', alias: 'prod' },
      version: '43',
      percent,
    });
  });

  it.each(['12.55', '-1', '101', '1e2', 'abc', '50%%', '.5', '100.1'])('refuses percent %j', (word) => {
    expect(problem(`shift fn:prod 43 ${word}`).problem).toMatch(/percent must be/);
  });

  it('needs all three arguments and no more', () => {
    expect(problem('shift fn:prod 43').problem).toBe('PERCENT is missing');
    expect(problem('shift fn:prod 43 10 extra').problem).toMatch(/unexpected "extra"/);
  });
});

describe('publish', () => {
  const sha = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

  it('takes a description of several words or quoted', () => {
    expect(ok('publish payments-api fix the retry loop')).toEqual({
      verb: 'publish',
      target: { fn: 'payments-api' },
      description: 'fix the retry loop',
    });
    expect(ok(`publish payments-api --expect-sha ${sha} "fix: retry"`)).toEqual({
      verb: 'publish',
      target: { fn: 'payments-api' },
      expectSha: sha,
      description: 'fix: retry',
    });
    expect(ok(`publish payments-api --expect-sha=${sha}`)).toMatchObject({ expectSha: sha });
  });

  it('refuses a malformed sha and an over-long description', () => {
    expect(problem('publish fn --expect-sha abc').problem).toMatch(/44 base64/);
    expect(problem(`publish fn ${'d'.repeat(257)}`).problem).toMatch(/AWS allows 256/);
  });

  it('suggests the option meant', () => {
    const result = problem(`publish fn --expect-shaa ${sha}`);
    expect(result.problem).toMatch(/unknown option --expect-shaa/);
    expect(result.suggestion).toBe(`publish fn --expect-sha ${sha}`);
  });
});

describe('rollback', () => {
  it('version and reason are optional', () => {
    expect(ok('rollback fn:prod')).toEqual({ verb: 'rollback', target: { fn: 'fn', alias: 'prod' } });
    expect(ok('rollback fn:prod 41 --reason error rate up 5x')).toEqual({
      verb: 'rollback',
      target: { fn: 'fn', alias: 'prod' },
      version: '41',
      reason: 'error rate up 5x',
    });
    expect(ok('rollback fn:prod --reason "p99 doubled"')).toMatchObject({ reason: 'p99 doubled' });
  });

  it('--reason needs text', () => {
    expect(problem('rollback fn:prod --reason').problem).toBe('--reason needs a value');
  });
});

describe('freeze and unfreeze', () => {
  it('freeze needs a reason', () => {
    expect(ok('freeze payments-api:prod release train, back Monday')).toEqual({
      verb: 'freeze',
      target: { fn: 'payments-api', alias: 'prod' },
      reason: 'release train, back Monday',
    });
    expect(problem('freeze payments-api').problem).toMatch(/say why/);
  });

  it('unfreeze takes a function or alias', () => {
    expect(ok('unfreeze payments-api')).toEqual({ verb: 'unfreeze', target: { fn: 'payments-api' } });
  });
});

describe('reads', () => {
  it('versions with a count', () => {
    expect(ok('versions fn')).toEqual({ verb: 'versions', target: { fn: 'fn' }, limit: 10 });
    expect(ok('versions fn 25')).toMatchObject({ limit: 25 });
    expect(problem('versions fn 0').problem).toMatch(/from 1 to 50/);
    expect(problem('versions fn 51').problem).toMatch(/from 1 to 50/);
  });

  it('diff takes two different versions, $LATEST allowed', () => {
    expect(ok('diff fn 41 v42')).toEqual({ verb: 'diff', target: { fn: 'fn' }, from: '41', to: '42' });
    expect(ok('diff fn 42 $LATEST')).toMatchObject({ to: '$LATEST' });
    expect(problem('diff fn 42 42').problem).toMatch(/same version/);
    expect(problem('diff fn 42').problem).toBe('V2 is missing');
  });

  it('history with a count', () => {
    expect(ok('history fn:prod 5')).toEqual({ verb: 'history', target: { fn: 'fn', alias: 'prod' }, limit: 5 });
  });

  it('alarms takes a function', () => {
    expect(ok('alarms fn')).toEqual({ verb: 'alarms', target: { fn: 'fn' } });
  });

  it('audit verify, with a suggestion for a typo', () => {
    expect(ok('audit verify')).toEqual({ verb: 'audit', action: 'verify' });
    expect(problem('audit verfy').suggestion).toBe('audit verify');
    expect(problem('audit').problem).toBe('"verify" is missing');
  });
});

describe('rollout controls', () => {
  it.each(['pause', 'resume', 'abort'])('%s FN:ALIAS', (verb) => {
    expect(ok(`${verb} fn:prod`)).toEqual({ verb, target: { fn: 'fn', alias: 'prod' } });
    expect(problem(`${verb} fn`).usage).toBe(`${verb} FN:ALIAS`);
  });
});

describe('input hygiene', () => {
  it('an unclosed quote is a problem, not a guess', () => {
    expect(problem('publish fn "oops').problem).toMatch(/not closed/);
  });

  it('no option is taken for a positional word and vice versa', () => {
    expect(problem('promote fn:prod --reason 43').problem).toMatch(/unknown option --reason/);
  });
});
