import type { Clock } from '../../ports.js';

export interface Pace {
  /** Calls a minute, sustained. */
  readonly perMinute: number;
  /** Calls that may go at once after a quiet spell. */
  readonly burst: number;
}

interface Waiting {
  readonly work: () => Promise<void>;
}

/**
 * Calls of one Slack method under its rate tier: a token bucket (burst, then `perMinute`), first
 * come first served, several calls in flight at once. A 429 pauses this method only (`pauseFor`):
 * other methods go through their own clients and are never held up by it.
 */
export class RatePacer {
  private readonly queue: Waiting[] = [];
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private pumping = false;

  constructor(
    private readonly clock: Clock,
    private readonly pace: Pace,
  ) {
    this.tokens = pace.burst;
    this.refilledAt = clock.now().getTime();
  }

  /** Runs `work` when its turn comes; `first` puts it ahead of everything waiting (a retry). */
  run(work: () => Promise<void>, first = false): void {
    if (first) this.queue.unshift({ work });
    else this.queue.push({ work });
    if (!this.pumping) void this.pump();
  }

  /** Slack answered 429 with Retry-After: nothing more of this method until then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
    // The bucket starts empty after the pause: a burst right after a 429 would earn another.
    this.tokens = 0;
  }

  get waiting(): number {
    return this.queue.length;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const next = this.queue[0];
        if (!next) return;
        const wait = this.waitMs();
        if (wait > 0) {
          await this.clock.sleep(wait);
          continue;
        }
        this.queue.shift();
        this.tokens -= 1;
        void next.work();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** How long until a call may go: the pause, then a whole token. */
  private waitMs(): number {
    const now = this.clock.now().getTime();
    if (now < this.pausedUntil) {
      this.refilledAt = this.pausedUntil;
      return this.pausedUntil - now;
    }
    const perMs = this.pace.perMinute / 60_000;
    this.tokens = Math.min(this.pace.burst, this.tokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / perMs);
  }
}
