import type { Clock } from '../../src/ports.js';

/** A clock that moves only when told to: time-dependent code becomes deterministic. */
export class TestClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}
