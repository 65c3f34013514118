import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/adapters/single-flight.js';

describe('SingleFlight', () => {
  it('shares one call among callers that overlap, and makes a new one after it ends', async () => {
    const flight = new SingleFlight();
    let calls = 0;
    let finish: (value: number) => void = () => {};
    const call = () => {
      calls++;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    };
    const a = flight.run('k', call);
    const b = flight.run('k', call);
    finish(42);
    expect(await Promise.all([a, b])).toEqual([42, 42]);
    expect(calls).toBe(1);
    const c = flight.run('k', call);
    finish(7);
    expect(await c).toBe(7);
    expect(calls).toBe(2);
  });

  it('keeps different keys apart and lets a failure reach every waiter once', async () => {
    const flight = new SingleFlight();
    const failing = flight.run('x', () => Promise.reject(new Error('AWS said no')));
    const sharing = flight.run('x', () => Promise.resolve('never'));
    const other = flight.run('y', () => Promise.resolve('y'));
    await expect(failing).rejects.toThrow('AWS said no');
    await expect(sharing).rejects.toThrow('AWS said no');
    expect(await other).toBe('y');
    expect(await flight.run('x', () => Promise.resolve('again'))).toBe('again');
  });
});
