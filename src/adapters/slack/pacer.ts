import type { Clock } from '../../ports.js';

/**
 * Slack allows about one message a second per channel. Posts to one channel queue behind each
 * other with that spacing; other channels are not held up. An alarm storm becomes a steady
 * stream instead of a burst of 429s.
 */
export class ChannelPacer {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly spacingMs = 1100,
  ) {}

  run<T>(channel: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(async () => {
      const wait = (this.lastAt.get(channel) ?? Number.NEGATIVE_INFINITY) + this.spacingMs - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      try {
        return await work();
      } finally {
        this.lastAt.set(channel, this.clock.now().getTime());
      }
    });
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(channel, tail);
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return result;
  }
}
