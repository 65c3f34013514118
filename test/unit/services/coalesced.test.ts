import { describe, expect, it } from 'vitest';
import { Coalesced } from '../../../src/services/coalesced.js';

describe('Coalesced', () => {
  it('runs at once, folds kicks that come while it runs into one run more, and sums what runs return', async () => {
    let runs = 0;
    let finish: () => void = () => {};
    const work = () => {
      runs++;
      return new Promise<number>((resolve) => {
        finish = () => resolve(10);
      });
    };
    const c = new Coalesced(work, () => {});
    c.kick();
    expect(runs).toBe(1);
    c.kick();
    c.kick();
    expect(runs).toBe(1);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    const total = c.finish();
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    // finish() asked for a last run after the one under way.
    expect(runs).toBe(3);
    finish();
    expect(await total).toBe(30);
  });

  it('a failed run is reported and does not stop the next', async () => {
    const failures: unknown[] = [];
    let n = 0;
    const c = new Coalesced(
      async () => {
        n++;
        if (n === 1) throw new Error('boom');
        return 1;
      },
      (error) => failures.push(error),
    );
    c.kick();
    expect(await c.finish()).toBe(1);
    expect(failures).toEqual([new Error('boom')]);
  });
});
