import type { Clock } from '../../src/ports.js';

/**
 * A clock that moves only when told to: time-dependent code becomes deterministic. `sleep`
 * resolves when `advance` moves the clock past its deadline, as fake timers would.
 */
export class TestClock implements Clock {
  private ms: number;
  private sleepers: { until: number; wake: () => void }[] = [];

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.ms + ms, wake }));
  }

  /** How many sleepers are waiting: lets a test advance only once the code under test waits. */
  get waiting(): number {
    return this.sleepers.length;
  }

  advance(ms: number): void {
    this.ms += ms;
    const due = this.sleepers.filter((s) => s.until <= this.ms);
    this.sleepers = this.sleepers.filter((s) => s.until > this.ms);
    for (const s of due) s.wake();
  }

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}
