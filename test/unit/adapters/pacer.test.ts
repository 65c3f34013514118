import { describe, expect, it } from 'vitest';
import { PlacePacer } from '../../../src/adapters/aws/pacer.js';
import { ChannelPacer } from '../../../src/adapters/slack/pacer.js';
import { TestClock } from '../../fakes/test-clock.js';

describe('ChannelPacer', () => {
  it('spaces posts to one channel and leaves other channels alone', async () => {
    const clock = new TestClock();
    const pacer = new ChannelPacer(clock, 1000);
    const at: [string, number][] = [];
    const post = (channel: string) => pacer.run(channel, async () => void at.push([channel, clock.now().getTime()]));
    const start = clock.now().getTime();
    const done = Promise.all([post('C1'), post('C1'), post('C2'), post('C1')]);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1000);
    }
    await done;
    const c1 = at.filter(([c]) => c === 'C1').map(([, t]) => t - start);
    const c2 = at.filter(([c]) => c === 'C2').map(([, t]) => t - start);
    expect(c2).toEqual([0]);
    expect(c1).toHaveLength(3);
    expect(c1[0]).toBe(0);
    expect((c1[1] as number) - (c1[0] as number)).toBeGreaterThanOrEqual(1000);
    expect((c1[2] as number) - (c1[1] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('a failed post does not block the queue', async () => {
    const clock = new TestClock();
    const pacer = new ChannelPacer(clock, 0);
    await expect(pacer.run('C1', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pacer.run('C1', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('PlacePacer', () => {
  const own = { account: { name: 'own', id: '123456789012' }, region: 'us-east-1' };
  const prod = { account: { name: 'prod', id: '222222222222' }, region: 'us-east-1' };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('gives no turn before the time asked for', async () => {
    const clock = new TestClock();
    const pacer = new PlacePacer(clock);
    let at: number | undefined;
    const turn = pacer.wait(own, new Date(clock.now().getTime() + 1500)).then(() => {
      at = clock.now().getTime();
    });
    await settle();
    clock.advance(1000);
    await settle();
    expect(at).toBeUndefined();
    clock.advance(500);
    await turn;
    expect(at).toBe(new Date('2025-01-01T00:00:01.500Z').getTime());
    // A time already past is no wait at all.
    await pacer.wait(own, new Date(0));
  });

  it('gives at most perSecond turns a second in a place, and other places theirs meanwhile', async () => {
    const clock = new TestClock();
    const pacer = new PlacePacer(clock, 2);
    const at: [string, number][] = [];
    const start = clock.now().getTime();
    const turns = async (label: string, place: typeof own, n: number) => {
      for (let i = 0; i < n; i++) {
        await pacer.wait(place);
        at.push([label, clock.now().getTime() - start]);
      }
    };
    const done = Promise.all([turns('own', own, 5), turns('prod', prod, 2)]);
    for (let i = 0; i < 4; i++) {
      await settle();
      clock.advance(1000);
    }
    await done;
    expect(at.filter(([p]) => p === 'own').map(([, t]) => t)).toEqual([0, 0, 1000, 1000, 2000]);
    expect(at.filter(([p]) => p === 'prod').map(([, t]) => t)).toEqual([0, 0]);
  });
});
