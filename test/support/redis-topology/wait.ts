/** Waiting for a topology to reach a state, by polling: failovers and syncs announce nothing a test can await. */

/** Thrown by a check to end a wait at once: what it waits for can no longer happen. */
export class StopWaiting extends Error {}

/**
 * Polls `check` every `intervalMs` until it returns a value, or fails naming `what` and the last
 * error `check` threw: on a loaded machine the reason a wait timed out is the useful part.
 */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 50,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const found = await check();
      if (found !== undefined) return found;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    if (performance.now() > deadline) {
      const reason = last instanceof Error ? ` (last: ${last.message})` : '';
      throw new Error(`waited ${timeoutMs} ms for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
