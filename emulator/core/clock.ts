/**
 * The emulator's notion of "now".
 *
 * In `real` mode it follows the wall clock. In `manual` mode it stands still until a test advances it, which is how
 * tests watch alarms change state over minutes without waiting for them.
 */
export type ClockMode = 'real' | 'manual';

export interface Clock {
  /** Milliseconds since the epoch, as the emulator sees it. */
  now(): number;
  mode(): ClockMode;
  /** Switches to manual mode, standing at `atMs` (default: the current time). */
  setManual(atMs?: number): void;
  /** Switches back to the wall clock. */
  setReal(): void;
  /** Moves a manual clock forward; has no meaning in real mode. */
  setManualTime(ms: number): void;
}

/** Creates a clock in the given mode; a manual clock starts at the current wall-clock time. */
export function createClock(mode: ClockMode = 'real', wall: () => number = Date.now): Clock {
  let current: ClockMode = mode;
  let manualNow = wall();
  return {
    now: () => (current === 'real' ? wall() : manualNow),
    mode: () => current,
    setManual(atMs) {
      manualNow = atMs ?? (current === 'real' ? wall() : manualNow);
      current = 'manual';
    },
    setReal() {
      current = 'real';
    },
    setManualTime(ms) {
      manualNow = ms;
    },
  };
}
