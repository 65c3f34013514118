import type { Clock } from './clock.js';

/** Work done once per emulated second, at the end of that second (`secondEndMs` is a multiple of 1000). */
export type SecondHook = (secondEndMs: number) => void;

interface Timer {
  at: number;
  seq: number;
  run: () => void;
}

/**
 * Runs everything that is due, in time order, as the clock moves: one-shot timers (an update finishing) and
 * per-second hooks (traffic generation, then alarm evaluation).
 *
 * Nothing runs on its own accord here. In real mode a timer and every request call {@link Scheduler.sync}; in manual
 * mode the control API calls {@link Scheduler.advanceTo}. Either way work happens in the same order, which is what
 * makes manual-clock tests faithful to real time.
 */
export class Scheduler {
  private cursor: number;
  /** The last second boundary whose hooks ran; kept apart from the cursor, which timers also move. */
  private lastTick: number;
  private timers: Timer[] = [];
  private seq = 0;
  private readonly hooks: SecondHook[] = [];

  constructor(private readonly clock: Clock) {
    this.cursor = clock.now();
    this.lastTick = Math.floor(this.cursor / 1000) * 1000;
  }

  /** Registers per-second work; hooks run in registration order. */
  everySecond(hook: SecondHook): void {
    this.hooks.push(hook);
  }

  /** Runs `run` once the clock reaches `atMs` (at once on the next sync if that time has passed). */
  at(atMs: number, run: () => void): void {
    const timer = { at: atMs, seq: this.seq++, run };
    // Timers are few (one per function mid-update), so a sorted insert is cheaper than a heap.
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1] as Timer).at > atMs) i--;
    this.timers.splice(i, 0, timer);
  }

  /** Catches up with the clock. */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  /** Runs, in order, every timer and per-second hook due up to and including `targetMs`. */
  advanceTo(targetMs: number): void {
    while (true) {
      const nextSecond = this.lastTick + 1000;
      const timer = this.timers[0];
      if (timer && timer.at <= targetMs && timer.at <= nextSecond) {
        this.timers.shift();
        this.cursor = Math.max(this.cursor, timer.at);
        timer.run();
        continue;
      }
      if (nextSecond > targetMs) break;
      this.cursor = nextSecond;
      this.lastTick = nextSecond;
      for (const hook of this.hooks) hook(nextSecond);
    }
    this.cursor = Math.max(this.cursor, targetMs);
  }

  /** Moves the cursor without running anything in between (used when the clock jumps, e.g. back to real time). */
  jumpTo(ms: number): void {
    this.cursor = ms;
    this.lastTick = Math.floor(ms / 1000) * 1000;
  }

  /** Forgets every pending timer. */
  clearTimers(): void {
    this.timers = [];
  }
}
