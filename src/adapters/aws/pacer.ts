import { type Place, placeKey } from '../../domain/target.js';
import type { Clock } from '../../ports.js';

/**
 * Lambda's control plane takes 15 requests a second per account and region, shared with every other
 * tool there. Background work (the watch of outside changes) asks this before each call: at most
 * `perSecond` calls a second into each place, so that it never crowds out people's commands or the
 * team's own tools, and none before the time the work asks for (the watch's turn for a function, so
 * that its reads spread over the interval). Commands themselves are not paced.
 */
export class PlacePacer {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly perSecond = 5,
  ) {}

  async wait(place: Place, notBefore?: Date): Promise<void> {
    const early = notBefore ? notBefore.getTime() - this.clock.now().getTime() : 0;
    if (early > 0) await this.clock.sleep(early);
    const key = placeKey(place);
    const now = this.clock.now().getTime();
    const calls = (this.recent.get(key) ?? []).filter((t) => now - t < 1000);
    if (calls.length >= this.perSecond) await this.clock.sleep(1000 - (now - (calls[0] as number)));
    calls.push(this.clock.now().getTime());
    this.recent.set(key, calls);
  }
}
