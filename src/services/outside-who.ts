import { asBotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import { LOOKUP_FOR_MS, type OutsideAlert, type WhoState } from '../domain/outside-alert.js';
import { placeKey, placeLabel } from '../domain/target.js';
import { whoDid } from '../domain/trail.js';
import type { Clock, OutsideStore, TrailSource } from '../ports.js';
import type { Fence } from './alert-delivery.js';
import type { OutsideActions } from './outside-actions.js';

/** Alerts looked up a run: CloudTrail allows 2 LookupEvents a second per account and region. */
const LOOKUPS = 20;
/** How far before its detection a change may have happened: one watch interval and CloudTrail's own clock skew. */
const BEFORE_MS = 15 * 60_000;

export interface OutsideWhoDeps {
  readonly fleet: Fleet;
  readonly store: OutsideStore;
  readonly trail: TrailSource;
  readonly actions: OutsideActions;
  readonly clock: Clock;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/**
 * Who made each change outside the bot, from CloudTrail in the function's account and region (read as
 * the bot's session). CloudTrail lags by minutes: an alert is posted at once, "looking up who…", and
 * updated when the event appears, or after 20 minutes says it gave up. Where the bot may not read
 * CloudTrail, the alert says the identity is unknown, and the place is remembered for /readyz.
 */
export class OutsideWho {
  /** Places whose CloudTrail the bot may not read, and since when: a hint in /readyz. */
  readonly denied = new Map<string, string>();

  constructor(private readonly deps: OutsideWhoDeps) {}

  async run(fence: Fence): Promise<{ readonly identified: number }> {
    const { store, clock } = this.deps;
    let identified = 0;
    const perPlace = new Map<string, number>();
    for (const alert of await store.looking(LOOKUPS)) {
      if (!(await fence.stillLeader())) break;
      const target = this.deps.fleet.get(alert.fn);
      if (!target) {
        identified += Number(
          await this.answer(alert, { state: 'unknown', why: `${alert.fn} is no longer in the policy file` }),
        );
        continue;
      }
      const key = placeKey(target.place);
      // CloudTrail's quota is 2 a second per account and region: the same place waits its turn.
      const n = perPlace.get(key) ?? 0;
      if (n > 0 && n % 2 === 0) await clock.sleep(1000);
      perPlace.set(key, n + 1);
      try {
        const since = new Date(Date.parse(alert.detectedAt) - BEFORE_MS);
        const events = await this.deps.trail.events(target, since);
        if (events === 'denied') {
          this.denied.set(placeLabel(target.place), clock.now().toISOString());
          identified += Number(
            await this.answer(alert, {
              state: 'unknown',
              why: `outside the bot, identity unknown: the bot may not read CloudTrail in ${placeLabel(target.place)} (it needs cloudtrail:LookupEvents)`,
            }),
          );
          continue;
        }
        this.denied.delete(placeLabel(target.place));
        const identity = whoDid(alert.change, events);
        if (identity) identified += Number(await this.answer(alert, { state: 'found', identity }));
        else if (clock.now().getTime() - Date.parse(alert.detectedAt) > LOOKUP_FOR_MS) {
          identified += Number(
            await this.answer(alert, {
              state: 'unknown',
              why: 'outside the bot, identity unknown: CloudTrail had no event for it after 20 minutes',
            }),
          );
        }
      } catch (error) {
        // CloudTrail did not answer: looked up again next run.
        this.deps.warn('who made a change could not be looked up; tried again', {
          alert: alert.id,
          err: asBotError(error).message,
        });
      }
    }
    return { identified };
  }

  private async answer(alert: OutsideAlert, who: WhoState): Promise<boolean> {
    const answered = await this.deps.store.identify(alert.id, who);
    if (answered) await this.deps.actions.show(await this.deps.store.get(alert.id));
    return answered;
  }
}
