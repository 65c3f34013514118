import { describe, expect, it } from 'vitest';
import { readinessProbe } from '../../../src/adapters/http/readiness.js';

const ok = async () => {};
const fail = (message: string) => async () => {
  throw new Error(message);
};

describe('readinessProbe', () => {
  it('is ready when everything answers', async () => {
    const probe = readinessProbe([
      { name: 'redis', check: ok },
      { name: 'aws:prod/eu-west-1', group: 'aws', check: ok },
    ]);
    expect(await probe()).toEqual({ ready: true, checks: { redis: 'ok', 'aws:prod/eu-west-1': 'ok' } });
  });

  it('one account and region failing is named but leaves the bot ready: the others still work', async () => {
    const probe = readinessProbe([
      { name: 'redis', check: ok },
      { name: 'aws:prod/eu-west-1', group: 'aws', check: fail('AccessDenied') },
      { name: 'aws:staging/eu-west-1', group: 'aws', check: ok },
    ]);
    expect(await probe()).toEqual({
      ready: true,
      checks: { redis: 'ok', 'aws:prod/eu-west-1': 'Error: AccessDenied', 'aws:staging/eu-west-1': 'ok' },
      degraded: ['aws:prod/eu-west-1'],
    });
  });

  it('is unready when every account and region fails, or when Redis does', async () => {
    const aws = [
      { name: 'aws:prod/eu-west-1', group: 'aws', check: fail('down') },
      { name: 'aws:staging/eu-west-1', group: 'aws', check: fail('down') },
    ];
    expect((await readinessProbe([{ name: 'redis', check: ok }, ...aws])()).ready).toBe(false);
    const redisDown = readinessProbe([
      { name: 'redis', check: fail('ECONNREFUSED') },
      { name: 'aws:prod/eu-west-1', group: 'aws', check: ok },
    ]);
    expect(await redisDown()).toMatchObject({ ready: false, checks: { redis: 'Error: ECONNREFUSED' } });
  });

  it('an advisory check (CloudTrail not readable) is named under degraded and never makes the bot unready', async () => {
    const probe = readinessProbe([
      { name: 'redis', check: ok },
      { name: 'cloudtrail', advisory: true, check: fail('prod/eu-west-1: the bot may not read CloudTrail here') },
    ]);
    expect(await probe()).toEqual({
      ready: true,
      checks: { redis: 'ok', cloudtrail: 'Error: prod/eu-west-1: the bot may not read CloudTrail here' },
      degraded: ['cloudtrail'],
    });
  });
});
