import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LeaderJob } from '../../../src/adapters/cron/leader-job.js';
import { MemoryLease } from '../../fakes/memory-lease.js';
import { TestClock } from '../../fakes/test-clock.js';

const log = pino({ level: 'silent' });

function replicas(clock: TestClock, lease: MemoryLease, runs: string[], everyMs = 30_000) {
  return ['a', 'b'].map(
    (holder) =>
      new LeaderJob({
        name: 'poller',
        everyMs,
        holder,
        lease,
        clock,
        log,
        run: async ({ token }) => void runs.push(`${holder}#${token}`),
      }),
  );
}

describe('LeaderJob', () => {
  it('runs on one replica at a time, once per interval', async () => {
    const clock = new TestClock();
    const lease = new MemoryLease(clock);
    const runs: string[] = [];
    const [a, b] = replicas(clock, lease, runs);
    expect(await a?.tick()).toBe('ran');
    expect(await b?.tick()).toBe('not-leader');
    expect(await a?.tick()).toBe('not-due');
    clock.advance(30_000);
    expect(await b?.tick()).toBe('not-leader');
    expect(await a?.tick()).toBe('ran');
    expect(runs).toEqual(['a#1', 'a#1']);
  });

  it('a tick that comes a few milliseconds early still runs: the interval does not slip by a whole tick', async () => {
    const clock = new TestClock();
    const lease = new MemoryLease(clock);
    const runs: string[] = [];
    const [a] = replicas(clock, lease, runs, 5_000);
    expect(await a?.tick()).toBe('ran');
    clock.advance(4_000);
    expect(await a?.tick()).toBe('not-due');
    clock.advance(996);
    expect(await a?.tick()).toBe('ran');
  });

  it('another replica takes over when the leader stops renewing, with a new fencing token', async () => {
    const clock = new TestClock();
    const lease = new MemoryLease(clock);
    const runs: string[] = [];
    const [a, b] = replicas(clock, lease, runs);
    await a?.tick();
    clock.advance(90_000);
    expect(await b?.tick()).toBe('ran');
    expect(runs).toEqual(['a#1', 'b#2']);
  });

  it('tells the job when it lost the lease mid-run', async () => {
    const clock = new TestClock();
    const lease = new MemoryLease(clock);
    let still: boolean | undefined;
    const job = new LeaderJob({
      name: 'poller',
      everyMs: 1000,
      holder: 'a',
      lease,
      clock,
      log,
      run: async ({ stillLeader }) => {
        clock.advance(60_000);
        await lease.acquire('poller', 'b', 10_000);
        still = await stillLeader();
      },
    });
    await job.tick();
    expect(still).toBe(false);
  });

  it('a failing run is reported and retried next interval', async () => {
    const clock = new TestClock();
    const lease = new MemoryLease(clock);
    let calls = 0;
    const job = new LeaderJob({
      name: 'poller',
      everyMs: 1000,
      holder: 'a',
      lease,
      clock,
      log,
      run: async () => {
        calls++;
        throw new Error('AWS said no');
      },
    });
    expect(await job.tick()).toBe('failed');
    clock.advance(1000);
    expect(await job.tick()).toBe('failed');
    expect(calls).toBe(2);
  });
});
