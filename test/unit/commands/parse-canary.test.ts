import { describe, expect, it } from 'vitest';
import { ok, problem } from '../../support/parse.js';

describe('canary', () => {
  it('defaults to CodeDeploy Canary10Percent5Minutes', () => {
    expect(ok('canary fn:prod 43')).toEqual({
      verb: 'canary',
      target: { fn: 'fn', alias: 'prod' },
      version: '43',
      schedule: { steps: [10, 100], everyMs: 300_000, preset: 'Canary10Percent5Minutes' },
      bakeMs: 0,
      judge: false,
    });
  });

  it.each([
    ['Canary10Percent5Minutes', [10, 100], 5],
    ['Canary10Percent10Minutes', [10, 100], 10],
    ['Canary10Percent15Minutes', [10, 100], 15],
    ['Canary10Percent30Minutes', [10, 100], 30],
    ['Linear10PercentEvery1Minute', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 1],
    ['Linear10PercentEvery2Minutes', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 2],
    ['Linear10PercentEvery3Minutes', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 3],
    ['Linear10PercentEvery10Minutes', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 10],
    ['AllAtOnce', [100], 0],
  ])('preset %s', (preset, steps, minutes) => {
    const schedule = { steps, everyMs: minutes * 60_000, preset };
    expect(ok(`canary fn:prod 43 ${preset}`)).toMatchObject({ schedule });
    expect(ok(`canary fn:prod 43 CodeDeployDefault.Lambda${preset}`)).toMatchObject({ schedule });
  });

  it('presets are case-sensitive, as AWS writes them, with a suggestion', () => {
    const result = problem('canary fn:prod 43 canary10percent5minutes');
    expect(result.problem).toMatch(/unknown preset/);
    expect(result.suggestion).toBe('canary fn:prod 43 Canary10Percent5Minutes');
    expect(problem('canary fn:prod 43 Linear10PercentEvery1Minutes').suggestion).toBe(
      'canary fn:prod 43 Linear10PercentEvery1Minute',
    );
  });

  it('custom steps, bake and judge', () => {
    expect(ok('canary fn:prod 43 --steps 10,25,50,100 --every 5m --bake 10m --judge')).toMatchObject({
      schedule: { steps: [10, 25, 50, 100], everyMs: 300_000 },
      bakeMs: 600_000,
      judge: true,
    });
    expect(ok('canary fn:prod 43 --steps 2.5,100 --every 30s')).toMatchObject({
      schedule: { steps: [2.5, 100], everyMs: 30_000 },
    });
  });

  it.each([
    ['--steps 10,50,100', /--steps needs --every/],
    ['--every 5m', /--every goes with --steps/],
    ['Canary10Percent5Minutes --steps 10,100 --every 1m', /either a preset or --steps/],
    ['--steps 50,10,100 --every 1m', /must increase/],
    ['--steps 10,50 --every 1m', /must end at 100/],
    ['--steps 0,100 --every 1m', /above 0%/],
    ['--steps 10,,100 --every 1m', /percent must be/],
    ['--steps 10,100 --every 5', /duration like/],
    ['--steps 10,100 --every 500ms', /between 1s and 24h/],
    ['--bake forever', /--bake takes a duration/],
    ['--judge=yes', /takes no value/],
    ['--judge --judge', /given twice/],
    ['--steps', /needs a value/],
    ['--stesp 10,100 --every 1m', /unknown option --stesp/],
  ])('refuses %s', (rest, message) => {
    expect(problem(`canary fn:prod 43 ${rest}`).problem).toMatch(message);
  });

  it('refuses more than 20 steps', () => {
    const steps = Array.from({ length: 21 }, (_, i) => ((i + 1) * 100) / 21).map((p) => p.toFixed(1));
    steps[20] = '100';
    expect(problem(`canary fn:prod 43 --steps ${steps.join(',')} --every 1m`).problem).toMatch(/at most 20/);
  });
});
