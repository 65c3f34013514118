import { isLive, transition } from '../domain/rollout.js';
import type { Clock, RolloutStore } from '../ports.js';
import type { RolledBack } from './alarm-watch.js';
import type { RolloutStepper } from './rollout-stepper.js';

export interface RolloutInterruptDeps {
  readonly store: RolloutStore;
  readonly stepper: RolloutStepper;
  readonly clock: Clock;
}

/**
 * What the bot's watchers do to rollouts under way, as `system`: an alarm rolls one back, a change
 * made outside the bot pauses one. Apart from RolloutService, which answers people.
 */
export class RolloutInterrupts {
  constructor(private readonly deps: RolloutInterruptDeps) {}

  /**
   * The alias was changed outside the bot: its rollout under way (if any) pauses at once, rather than
   * step on top of someone else's change. Answers the paused rollout's ID.
   */
  async pauseFor(fn: string, alias: string, reason: string): Promise<string | undefined> {
    const rollout = (await this.deps.store.live()).find(
      (r) => r.plan.fn === fn && r.plan.alias === alias && (r.state.phase === 'shifting' || r.state.phase === 'baking'),
    );
    if (!rollout) return undefined;
    const at = this.deps.clock.now().toISOString();
    const next = await this.deps.stepper.change(rollout.id, (r) =>
      transition(r, { type: 'pause', by: 'system', reason, at }),
    );
    await this.deps.stepper.record(next, 'system', 'canary.pause', reason);
    await this.deps.stepper.show(next, `Paused: ${reason}.`);
    return rollout.id;
  }

  /** A watched alarm went into ALARM: roll back the alias's live rollout at once. Answers those rolled back. */
  async onAlarm(fn: string, alias: string | undefined, alarm: string): Promise<readonly RolledBack[]> {
    const done: RolledBack[] = [];
    for (const rollout of await this.deps.store.live()) {
      const { plan } = rollout;
      if (plan.fn !== fn || (alias !== undefined && alias !== plan.alias) || !isLive(rollout.state)) continue;
      if (!plan.alarms.includes(alarm) && alias === undefined) continue;
      await this.deps.stepper.rollBack(rollout.id, `alarm ${alarm} went into ALARM`);
      done.push({ alias: plan.alias, version: plan.baseline });
    }
    return done;
  }
}
