import { describe, expect, it } from 'vitest';
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
