import { type ScheduledTask, schedule } from 'node-cron';
import type { Clock, Lease } from '../../ports.js';
import type { Logger } from '../logging.js';

/**
 * node-cron ticks every second give or take a few milliseconds (999 ms apart now and then). A run
 * is due at the tick nearest its time: requiring the full interval would skip a tick that came
 * 1 ms early, and a 5 s interval would now and then become 6 s.
 */
const TICK_TOLERANCE_MS = 500;

export interface LeaderJobOptions {
  /** Also the lease's name: one leader per job across all replicas. */
  readonly name: string;
  readonly everyMs: number;
  /** This replica's identity, unique per process. */
  readonly holder: string;
  readonly lease: Lease;
  readonly clock: Clock;
  readonly log: Logger;
  /** The work; `stillLeader()` must be checked before any effect another replica could repeat. */
  run(fence: { token: number; stillLeader: () => Promise<boolean> }): Promise<unknown>;
}

/**
 * A recurring job that runs on one replica at a time. Each tick takes or renews a Redis lease
 * (three intervals long, so one slow run does not lose it) and runs only while holding it; runs
 * never overlap. `tick()` is the whole logic, so tests drive it with a test clock.
 */
export class LeaderJob {
  private lastRun = Number.NEGATIVE_INFINITY;
  private running = false;
  private task?: ScheduledTask;

  constructor(private readonly options: LeaderJobOptions) {}

  /** Ticks every second with node-cron; intervals need not divide a minute. */
  start(): void {
    this.task = schedule('* * * * * *', () => this.tick(), { name: this.options.name, noOverlap: true, unref: true });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    await this.options.lease.release(this.options.name, this.options.holder).catch(() => {});
  }

  /** Runs the job if its interval has passed and this replica holds (or wins) the lease. */
  async tick(): Promise<'ran' | 'not-due' | 'busy' | 'not-leader' | 'failed'> {
    const { name, everyMs, holder, lease, clock, log } = this.options;
    if (this.running) return 'busy';
    const now = clock.now().getTime();
    if (now - this.lastRun < everyMs - TICK_TOLERANCE_MS) return 'not-due';
    this.running = true;
    try {
      const token = await lease.acquire(name, holder, Math.max(3 * everyMs, 10_000));
      if (token === undefined) return 'not-leader';
      this.lastRun = now;
      await this.options.run({ token, stillLeader: () => lease.holds(name, holder, token) });
      return 'ran';
    } catch (error) {
      log.warn({ job: name, err: (error as Error).message }, 'job failed; it runs again next interval');
      return 'failed';
    } finally {
      this.running = false;
    }
  }
}
