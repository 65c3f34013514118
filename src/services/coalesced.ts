/**
 * Work that takes whatever is due (the watch's alerts to post), run as soon as there is some and never
 * twice at once: kicks that come while it runs fold into one more run after it. Its failures go to
 * `failed`, so that one bad run does not stop the next.
 */
export class Coalesced {
  private running: Promise<void> | undefined;
  private again = false;
  private total = 0;

  constructor(
    private readonly work: () => Promise<number>,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Runs the work now, or once more after the run under way. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  /** Runs the work a last time and waits for it: the sum of what every run returned. */
  async finish(): Promise<number> {
    this.kick();
    while (this.running) await this.running;
    return this.total;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        this.total += await this.work();
      } catch (error) {
        this.failed(error);
      }
    } while (this.again);
    this.running = undefined;
  }
}
