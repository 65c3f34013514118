/**
 * A small seeded pseudo-random generator (mulberry32).
 *
 * The emulator must be reproducible: the same seed, the same traffic, the same faults. `Math.random` cannot be
 * seeded, so every random decision in the emulator draws from one of these instead.
 */
export interface Prng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A standard normal deviate (Box–Muller). */
  normal(): number;
}

/**
 * Creates a generator whose sequence depends only on `seed`.
 *
 * @example
 * const a = createPrng(42); const b = createPrng(42);
 * a.next() === b.next(); // true
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}
