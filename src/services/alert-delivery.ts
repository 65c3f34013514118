import type { Alert, AlertTask } from '../domain/alert.js';
import type { AlertStore, Clock, MessageRef, Notifier } from '../ports.js';

/** A poller's right to act: its fencing token, and whether it still holds the lease. */
export interface Fence {
  readonly token: number;
  stillLeader(): Promise<boolean>;
}

export interface AlertDeliveryDeps {
  readonly store: AlertStore;
  readonly notifier: Notifier;
  readonly clock: Clock;
  /**
   * How long a message taken by a poller with an older token stays its own: longer than one
   * Slack call can last, so that a poller that lost its lease mid-post cannot post it a second
   * time after another took it over.
   */
  readonly takeoverMs: number;
  readonly warn?: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/** Alerts looked at per poll: far more than a storm, and a bound on one run's reads. */
const BATCH = 500;
/** Message updates that find the alert changed again go round at most this often. */
const REFRESHES = 3;
const RETRY_BASE_MS = 15_000;
const RETRY_MAX_MS = 5 * 60_000;

/**
 * How long a message waits after its `failures`-th failed send: the first failure is retried at
 * the next poll, then 15 s, 30 s, 1 min… up to 5 min, so a channel the bot cannot post to (or a long
 * Slack outage) costs a few calls an hour, and an alert still goes out within 5 min of Slack coming back.
 */
export function retryDelay(failures: number): number {
  return failures === 0 ? 0 : Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS);
}

/**
 * Sends what the alerts still owe Slack: the alert itself, then, each time the alarm moves again
 * (back to OK, back in ALARM, no data), the message updated and a reply in its thread. Each message is taken in the store under the
 * poller's fencing token right before it is sent, and only while the poller still leads; one
 * channel's messages go out oldest first, one at a time (the notifier spaces them), channels side
 * by side. What is not sent by the deadline waits for the next poll, so a storm never holds the
 * poller past its interval (its lease is renewed between polls).
 */
export class AlertDelivery {
  private stopping = false;

  constructor(private readonly deps: AlertDeliveryDeps) {}

  /** Stops taking messages; one already being sent finishes. */
  stop(): void {
    this.stopping = true;
  }

  async deliver(fence: Fence, deadline: number): Promise<{ readonly sent: number; readonly lostLease: boolean }> {
    const alerts = await this.deps.store.undelivered(this.deps.clock.now(), BATCH);
    const channels = new Map<string, Alert[]>();
    for (const alert of alerts) {
      const channel = alert.ref?.channel ?? alert.channel;
      channels.set(channel, [...(channels.get(channel) ?? []), alert]);
    }
    let sent = 0;
    let lostLease = false;
    await Promise.all(
      [...channels.values()].map(async (queue) => {
        for (const alert of queue) {
          if (this.stopping || lostLease || this.deps.clock.now().getTime() >= deadline) return;
          if (!(await fence.stillLeader())) {
            lostLease = true;
            return;
          }
          sent += await this.send(alert, fence.token).catch((error: unknown) => {
            // Redis failed after a message went out: it stays taken, so it is not sent twice.
            this.deps.warn?.('alert delivery not recorded', { alert: alert.id, err: (error as Error).message });
            return 0;
          });
        }
      }),
    );
    return { sent, lostLease };
  }

  /**
   * Shows the alert's newest state in its message. A change landing while the update is under
   * way sends another update, so the message never ends older than the store.
   */
  async refresh(id: string): Promise<void> {
    for (let i = 0; i < REFRESHES; i++) {
      const alert = await this.deps.store.get(id);
      if (!alert?.ref) return;
      await this.deps.notifier.update(alert.ref, { kind: 'alarm-alert', alert });
      const after = await this.deps.store.get(id);
      if (!after || after.rev === alert.rev) return;
    }
  }

  /** Sends what one alert owes; answers how many messages went out. */
  private async send(alert: Alert, token: number): Promise<number> {
    let sent = 0;
    if (alert.undelivered.includes('post')) {
      if (!(await this.post(alert, token))) return sent;
      sent++;
    }
    const now = alert.undelivered.includes('thread') ? alert : await this.deps.store.get(alert.id);
    if (now?.undelivered.includes('thread') && (await this.thread(now, token))) sent++;
    return sent;
  }

  private async post(alert: Alert, token: number): Promise<boolean> {
    const { store, notifier, clock, takeoverMs } = this.deps;
    if (!(await store.take(alert.id, 'post', token, clock.now(), takeoverMs))) return false;
    let ref: MessageRef;
    try {
      // Read again after taking it: a resolution may have arrived since the list was read.
      const fresh = (await store.get(alert.id)) ?? alert;
      ref = await notifier.post(fresh.channel, { kind: 'alarm-alert', alert: fresh });
    } catch (error) {
      await this.giveBack(alert, 'post', token, error);
      return false;
    }
    // Posted: never given back from here on, or the next poll would post it again.
    await store.delivered(alert.id, 'post', ref);
    return true;
  }

  /**
   * The message updated first (safe to repeat), then one reply with the notes owed (not safe to
   * repeat), then those notes marked delivered: notes recorded meanwhile wait for the next reply.
   */
  private async thread(alert: Alert, token: number): Promise<boolean> {
    const { store, notifier, clock, takeoverMs } = this.deps;
    if (!(await store.take(alert.id, 'thread', token, clock.now(), takeoverMs))) return false;
    let upTo = 0;
    try {
      await this.refresh(alert.id);
      const fresh = await store.get(alert.id);
      if (fresh?.ref && fresh.notes.length > 0) {
        await notifier.post(
          fresh.ref.channel,
          { kind: 'alarm-thread', alert: fresh, notes: fresh.notes },
          fresh.ref.ts,
        );
        upTo = fresh.notes.at(-1)?.seq ?? 0;
      }
    } catch (error) {
      await this.giveBack(alert, 'thread', token, error);
      return false;
    }
    await store.delivered(alert.id, 'thread', upTo);
    return true;
  }

  private async giveBack(alert: Alert, task: AlertTask, token: number, error: unknown): Promise<void> {
    const delay = retryDelay(alert.failures);
    this.deps.warn?.('alert message not sent; it is retried', {
      alert: alert.id,
      task,
      retryInMs: delay,
      err: (error as Error).message,
    });
    const retryAt = new Date(this.deps.clock.now().getTime() + delay);
    await this.deps.store.giveBack(alert.id, task, token, retryAt).catch(() => {});
  }
}
