import type { Fleet } from '../domain/fleet.js';
import { isOpen, type Rollout } from '../domain/rollout.js';
import type { Clock, MessageRef, MetricSource, Notifier } from '../ports.js';
import type { AlarmLookup } from './rollouts.js';

/** How often a rollout that is only waiting (for traffic, for time) refreshes its message. */
const REFRESH_MS = 30_000;
/** The sparkline's window: recent minutes, not the whole rollout. */
const WINDOW_MS = 15 * 60_000;

/**
 * A rollout's progress message: posted once, then updated in place with the latest figures (each
 * version's calls, error rate, p99 and per-minute sparkline) and the watched alarms' states.
 * Figures that cannot be read leave the message without them rather than failing the rollout.
 */
export class RolloutProgress {
  private readonly shown = new Map<string, { at: number; note?: string }>();

  constructor(
    private readonly deps: {
      fleet: Fleet;
      notifier: Notifier;
      metrics: MetricSource;
      alarms: AlarmLookup;
      clock: Clock;
    },
  ) {}

  async post(rollout: Rollout): Promise<MessageRef> {
    return this.deps.notifier.post(rollout.channel, {
      kind: 'rollout',
      rollout,
      alarms: await this.alarmStates(rollout),
    });
  }

  async show(rollout: Rollout, note?: string): Promise<void> {
    const { clock, metrics, notifier } = this.deps;
    this.shown.set(rollout.id, { at: clock.now().getTime(), ...(note ? { note } : {}) });
    if (!rollout.message) return;
    const { plan } = rollout;
    const started = Date.parse(rollout.applied[0]?.at ?? rollout.createdAt);
    const from = new Date(Math.max(started, clock.now().getTime() - WINDOW_MS));
    const stats = await metrics
      .versions(this.deps.fleet.named(plan.fn), plan.alias, [plan.canary, plan.baseline], from, clock.now())
      .catch(() => undefined);
    const canary = stats?.get(plan.canary);
    const baseline = stats?.get(plan.baseline);
    await notifier
      .update(rollout.message, {
        kind: 'rollout',
        rollout,
        ...(canary ? { canary } : {}),
        ...(baseline ? { baseline } : {}),
        alarms: await this.alarmStates(rollout),
        ...(note ? { note } : {}),
      })
      .catch(() => {});
  }

  /** Shows news at once; the same news again only every REFRESH_MS (a waiting rollout ticks every second). */
  async refresh(rollout: Rollout, note?: string): Promise<void> {
    const last = this.shown.get(rollout.id);
    if (last && last.note === note && this.deps.clock.now().getTime() - last.at < REFRESH_MS) return;
    if (!isOpen(rollout)) return;
    await this.show(rollout, note ?? last?.note);
  }

  private async alarmStates(rollout: Rollout) {
    const all = await this.deps.alarms(rollout.plan.fn, rollout.plan.alias).catch(() => []);
    return all.filter((a) => rollout.plan.alarms.includes(a.name));
  }
}
