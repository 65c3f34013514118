/**
 * When each person's Home tab is published again (CONTRACT §12: at most once per 5 s each). A
 * change marks the people watching as stale; a stale person is due once their window since their
 * last publish has passed, so changes inside a window fold into one publish at its end, built
 * then, with the newest state. Pure: the caller brings the time.
 */
export class PublishWindows {
  /** Last publish start per person (ms). */
  private readonly last = new Map<string, number>();
  private readonly stale = new Set<string>();
  /** Taken, and their view not built yet: a change now is in the view they are about to get. */
  private readonly queued = new Set<string>();
  private readonly sending = new Set<string>();

  constructor(private readonly windowMs: number) {}

  /** These people's Home shows something that changed. */
  mark(users: Iterable<string>): void {
    for (const user of users) if (!this.queued.has(user)) this.stale.add(user);
  }

  /**
   * The stale people whose window has passed, not being published already. Until their view is
   * built (`built`), changes are theirs for free: the view will show them.
   */
  take(now: number): string[] {
    const due: string[] = [];
    for (const user of this.stale) {
      if (this.sending.has(user) || (this.last.get(user) ?? Number.NEGATIVE_INFINITY) + this.windowMs > now) continue;
      due.push(user);
    }
    for (const user of due) {
      this.stale.delete(user);
      this.sending.add(user);
      this.queued.add(user);
      this.last.set(user, now);
    }
    return due;
  }

  /** The person's view is being built now (their turn under the pacer came): the window starts here. */
  built(user: string, now: number): void {
    if (!this.queued.delete(user)) return;
    this.last.set(user, now);
  }

  /** A publish ended (sent or given up). */
  done(user: string): void {
    this.sending.delete(user);
    this.queued.delete(user);
  }

  /** When the next stale person is due (ms), or undefined when nobody waits or all are being sent. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const user of this.stale) {
      if (this.sending.has(user)) continue;
      const at = (this.last.get(user) ?? Number.NEGATIVE_INFINITY) + this.windowMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Whether anybody is still owed a publish (stale or being sent). */
  get busy(): boolean {
    return this.stale.size > 0 || this.sending.size > 0;
  }

  /** Forgets people whose windows are long past: the map does not grow with everyone who ever looked. */
  prune(now: number): void {
    for (const [user, at] of this.last)
      if (at + this.windowMs <= now && !this.stale.has(user) && !this.sending.has(user)) this.last.delete(user);
  }

  /** A new leader term: nothing carried over. */
  reset(): void {
    this.last.clear();
    this.stale.clear();
    this.sending.clear();
    this.queued.clear();
  }
}
