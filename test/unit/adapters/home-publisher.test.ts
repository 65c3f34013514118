import { ErrorCode, type WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HomePublisher } from '../../../src/adapters/slack/home-publisher.js';
import { RatePacer } from '../../../src/adapters/slack/rate-pacer.js';
import { TestClock } from '../../fakes/test-clock.js';

const log = pino({ level: 'silent' });
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Slack's views.publish as the WebClient answers it: 429s (rejected, as rejectRateLimitedCalls does) on demand. */
function fakeSlack(clock: TestClock) {
  const calls: { user: string; at: number; header: string }[] = [];
  let limited = 0;
  const client = {
    views: {
      publish: async (args: { user_id: string; view: { blocks: { text?: { text: string } }[] } }) => {
        if (limited > 0) {
          limited--;
          throw Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter: 3 });
        }
        calls.push({ user: args.user_id, at: clock.now().getTime(), header: args.view.blocks[0]?.text?.text ?? '' });
        return { ok: true };
      },
    },
  } as unknown as WebClient;
  return {
    client,
    calls,
    limit: (n: number) => {
      limited = n;
    },
  };
}

describe('RatePacer', () => {
  it('lets a burst through, then spaces calls at the sustained rate', async () => {
    const clock = new TestClock();
    const pacer = new RatePacer(clock, { perMinute: 60, burst: 3 });
    const at: number[] = [];
    const start = clock.now().getTime();
    for (let i = 0; i < 6; i++) pacer.run(async () => void at.push(clock.now().getTime() - start));
    for (let i = 0; i < 40; i++) {
      await settle();
      clock.advance(100);
    }
    expect(at).toEqual([0, 0, 0, 1000, 2000, 3000]);
  });

  it('waits out a pause before the next call', async () => {
    const clock = new TestClock();
    const pacer = new RatePacer(clock, { perMinute: 6000, burst: 10 });
    const start = clock.now().getTime();
    pacer.pauseFor(2000);
    let at = -1;
    pacer.run(async () => {
      at = clock.now().getTime() - start;
    });
    for (let i = 0; i < 30; i++) {
      await settle();
      clock.advance(100);
    }
    expect(at).toBeGreaterThanOrEqual(2000);
    expect(at).toBeLessThan(2200);
  });
});

describe('HomePublisher', () => {
  it('builds each view when its turn comes and queues a person once', async () => {
    const clock = new TestClock();
    const slack = fakeSlack(clock);
    let state = 'v1';
    const publisher = new HomePublisher(
      slack.client,
      async () => ({ type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: state } }] }),
      clock,
      log,
      { perMinute: 60, burst: 1 },
    );
    const first = publisher.publish('U0A');
    const b = publisher.publish('U0B');
    const again = publisher.publish('U0B');
    expect(again).toBe(b);
    state = 'v2';
    for (let i = 0; i < 20; i++) {
      await settle();
      clock.advance(100);
    }
    await Promise.all([first, b]);
    expect(slack.calls.map((c) => `${c.user}:${c.header}`)).toEqual(['U0A:v1', 'U0B:v2']);
  });

  it('waits out a 429 for its Retry-After and then publishes', async () => {
    const clock = new TestClock();
    const slack = fakeSlack(clock);
    const publisher = new HomePublisher(slack.client, async () => ({ type: 'home', blocks: [] }), clock, log);
    slack.limit(1);
    const start = clock.now().getTime();
    const done = publisher.publish('U0A');
    for (let i = 0; i < 50; i++) {
      await settle();
      clock.advance(100);
    }
    await done;
    expect(slack.calls).toHaveLength(1);
    expect((slack.calls[0]?.at as number) - start).toBeGreaterThanOrEqual(3000);
  });

  it('gives up after repeated 429s, with the error', async () => {
    const clock = new TestClock();
    const slack = fakeSlack(clock);
    const publisher = new HomePublisher(slack.client, async () => ({ type: 'home', blocks: [] }), clock, log);
    slack.limit(100);
    const done = publisher.publish('U0A').catch((e: Error) => e.message);
    for (let i = 0; i < 200; i++) {
      await settle();
      clock.advance(100);
    }
    expect(await done).toBe('rate limited');
  });
});
