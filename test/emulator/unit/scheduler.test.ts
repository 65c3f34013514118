import { describe, expect, it } from 'vitest';
import { createClock } from '../../../emulator/core/clock.js';
import { createPrng } from '../../../emulator/core/prng.js';
import { Scheduler } from '../../../emulator/core/scheduler.js';

describe('scheduler', () => {
  it('runs timers and per-second hooks in time order while advancing', () => {
    const clock = createClock('manual', () => 10_000);
    const scheduler = new Scheduler(clock);
    const log: string[] = [];
    scheduler.everySecond((ms) => log.push(`tick ${ms}`));
    scheduler.at(11_500, () => log.push('timer 11500'));
    scheduler.at(11_000, () => log.push('timer 11000'));
    scheduler.advanceTo(12_000);
    expect(log).toEqual(['timer 11000', 'tick 11000', 'timer 11500', 'tick 12000']);
    scheduler.advanceTo(12_000);
    expect(log).toHaveLength(4);
  });
});

describe('seeded generator', () => {
  it('repeats for a seed, differs across seeds, stays in [0, 1)', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.slice(0, 5)).not.toEqual(Array.from({ length: 5 }, () => c.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const normals = Array.from({ length: 5000 }, () => a.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
  });
});
