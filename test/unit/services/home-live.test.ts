import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HomeLive } from '../../../src/services/home-live.js';
import { MemoryChangeFeed, MemoryHomeViewers } from '../../fakes/memory-home.js';
import { TestClock } from '../../fakes/test-clock.js';

const log = pino({ level: 'silent' });
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A leader that runs the job back to back (as LeaderJob does) and records every publish with its time. */
async function rig(options: { leader?: () => boolean; queueMs?: number } = {}) {
  const clock = new TestClock();
  const viewers = new MemoryHomeViewers();
  const feed = new MemoryChangeFeed(clock);
  const published: { user: string; at: number }[] = [];
  const live = new HomeLive({
    viewers,
    feed,
    clock,
    log,
    publish: async (user, building) => {
      // A wait under the rate limit before the view is built.
      if (options.queueMs) await clock.sleep(options.queueMs);
      building?.();
      published.push({ user, at: clock.now().getTime() });
    },
  });
  let token = 1;
  let running = true;
  const fence = () => ({ token, stillLeader: async () => options.leader?.() ?? true });
  const loop = (async () => {
    while (running) await live.run(fence());
  })();
  await settle();
  const start = clock.now().getTime();
  return {
    clock,
    viewers,
    feed,
    published,
    start,
    newTerm: () => void token++,
    /** Moves the clock in steps, letting the code under test run between them. */
    async advance(ms: number, step = 100) {
      for (let t = 0; t < ms; t += step) {
        await settle();
        clock.advance(Math.min(step, ms - t));
      }
      await settle();
    },
    count: (user: string) => published.filter((p) => p.user === user).length,
    async stop() {
      running = false;
      await live.stop();
      clock.advance(10_000);
      await loop;
    },
  };
}

describe('HomeLive', () => {
  it('50 changes in 10 s publish at most 3 times per viewer, the last after the last change', async () => {
    const r = await rig();
    await r.viewers.opened('U0ALICE', r.clock.now());
    await r.viewers.opened('U0BOB', r.clock.now());
    let lastChange = 0;
    for (let i = 0; i < 50; i++) {
      r.feed.append();
      lastChange = r.clock.now().getTime();
      await r.advance(200);
    }
    await r.advance(10_000);
    for (const user of ['U0ALICE', 'U0BOB']) {
      expect(r.count(user)).toBeGreaterThanOrEqual(2);
      expect(r.count(user)).toBeLessThanOrEqual(3);
      const times = r.published.filter((p) => p.user === user).map((p) => p.at);
      for (let i = 1; i < times.length; i++)
        expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(5000);
      expect(times.at(-1)).toBeGreaterThanOrEqual(lastChange);
    }
    await r.stop();
  });

  it('publishes a single change at once, and never for people who never opened Home or opened it over 24 h ago', async () => {
    const r = await rig();
    await r.viewers.opened('U0OLD', new Date(r.start - 25 * 60 * 60 * 1000));
    await r.viewers.opened('U0ALICE', new Date(r.start - 23 * 60 * 60 * 1000));
    r.feed.append();
    await r.advance(100);
    expect(r.published.map((p) => p.user)).toEqual(['U0ALICE']);
    expect(r.published[0]?.at).toBe(r.start);
    await r.advance(30_000);
    expect(r.published).toHaveLength(1);
    await r.stop();
  });

  it('a viewer who opens later gets the next change; no change, no publish', async () => {
    const r = await rig();
    await r.advance(20_000);
    expect(r.published).toHaveLength(0);
    await r.viewers.opened('U0CAROL', r.clock.now());
    r.feed.append(3);
    await r.advance(100);
    expect(r.count('U0CAROL')).toBe(1);
    await r.stop();
  });

  it('a replica that lost the lease publishes nothing; a new leader publishes once what the last one left', async () => {
    let leader = false;
    const r = await rig({ leader: () => leader });
    await r.viewers.opened('U0ALICE', r.clock.now());
    r.feed.append();
    await r.advance(10_000);
    expect(r.published).toHaveLength(0);
    // A new term: the position published to everyone is behind the feed's end.
    leader = true;
    r.newTerm();
    await r.advance(3_000);
    expect(r.count('U0ALICE')).toBe(1);
    await r.advance(10_000);
    expect(r.count('U0ALICE')).toBe(1);
    await r.stop();
  });

  it('changes while a publish waits for its turn are in it: no second publish for them', async () => {
    const r = await rig({ queueMs: 8_000 });
    await r.viewers.opened('U0ALICE', r.clock.now());
    for (let i = 0; i < 10; i++) {
      r.feed.append();
      await r.advance(500);
    }
    await r.advance(30_000);
    expect(r.count('U0ALICE')).toBe(1);
    expect(r.published[0]?.at).toBe(r.start + 8_000);
    await r.stop();
  });

  it('remembers how far everything was published once nothing is owed', async () => {
    const r = await rig();
    await r.viewers.opened('U0ALICE', r.clock.now());
    r.feed.append(2);
    await r.advance(100);
    expect(await r.feed.published()).toBe('2');
    await r.stop();
    expect(r.feed.closed).toBe(true);
  });
});
