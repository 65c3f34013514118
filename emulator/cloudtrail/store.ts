import { type Place, PlaceMap, placeKey } from '../core/place.js';

/** A resource as LookupEvents lists it for an event. */
export interface EventResource {
  ResourceType: string;
  ResourceName: string;
}

/** One event of an account's event history in one region: the record, and the fields LookupEvents filters on. */
export interface TrailEvent {
  /** Order of recording, across all places: the tie-breaker of events in the same millisecond. */
  seq: number;
  /** When the call happened, in epoch ms on the emulator's clock. */
  atMs: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId: string;
  username: string | undefined;
  resources: EventResource[];
  /** The CloudTrail record, as LookupEvents returns it (as JSON text) in `CloudTrailEvent`. */
  record: Record<string, unknown>;
}

/** Every place's event history, and the delivery delay that hides recent events from LookupEvents. */
export class TrailStore {
  private readonly places = new PlaceMap<TrailEvent[]>(() => []);
  private seq = 0;
  /** An event becomes visible once the clock passes its time plus this (`PUT /_emulator/cloudtrail`). */
  delayMs = 0;

  record(where: Place, event: Omit<TrailEvent, 'seq'>): void {
    this.places.at(where).push({ ...event, seq: this.seq++ });
  }

  /** The events of a place that have been delivered by `nowMs`, in recording order. */
  visible(where: Place, nowMs: number): TrailEvent[] {
    return (this.places.peek(where) ?? []).filter((e) => e.atMs + this.delayMs <= nowMs);
  }

  /** How many events each place holds (delivered or not), for the control API. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.places.all()].map(([p, events]) => [placeKey(p), events.length]));
  }

  clear(): void {
    this.places.clear();
    this.seq = 0;
    this.delayMs = 0;
  }
}
