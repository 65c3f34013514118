import type { Target } from '../../src/domain/target.js';
import type { TrailEvent } from '../../src/domain/trail.js';
import type { TrailSource } from '../../src/ports.js';

/** CloudTrail's event history as a test sets it, per function (in AWS) name; `denied` as a role without the permission. */
export class FakeTrail implements TrailSource {
  readonly events_ = new Map<string, TrailEvent[]>();
  denied = false;
  lookups = 0;

  add(name: string, event: TrailEvent): void {
    this.events_.set(name, [...(this.events_.get(name) ?? []), event]);
  }

  async events(target: Target, since: Date): Promise<readonly TrailEvent[] | 'denied'> {
    this.lookups++;
    if (this.denied) return 'denied';
    return (this.events_.get(target.name) ?? []).filter((e) => Date.parse(e.eventTime) >= since.getTime());
  }
}
