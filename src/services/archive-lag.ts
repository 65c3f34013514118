/**
 * How far the audit archive is behind Redis, measured after every archiver run (even while the
 * store is down), with its alert in the alerts channel past `alert_lag` and a note once it is back
 * under, each said once.
 */
import { type ArchiveLag, lagNotice } from '../domain/archive-plan.js';
import type { ArchiverDeps } from './archiver.js';

export class ArchiveLagWatch {
  /** The lag as last measured, or undefined before the first measurement. */
  measured: ArchiveLag | undefined;

  constructor(
    private readonly deps: Pick<
      ArchiverDeps,
      'archiving' | 'clock' | 'notifier' | 'settings' | 'alertsChannel' | 'warn'
    >,
  ) {}

  /** Measures the lag and says what is due; `reason` is the archiver's last failure, if any. */
  async measure(stillLeader: () => Promise<boolean>, reason: string | undefined): Promise<void> {
    const { archiving, clock, notifier, settings } = this.deps;
    try {
      const [position, head] = await Promise.all([archiving.position(), archiving.head()]);
      const [oldest] = await archiving.after(position.id, 1);
      const ms = oldest ? Math.max(0, clock.now().getTime() - Date.parse(oldest.at)) : 0;
      this.measured = { records: head.id - position.id, ms };
      // Whether an alert is out is kept in Redis: a new leader (a failover, a deploy) says nothing twice.
      const say = lagNotice(position.lagAlerted === true, this.measured, settings.alertLagMs);
      if (say === undefined || !(await stillLeader())) return;
      await notifier.post(this.deps.alertsChannel, {
        kind: 'archive-lag',
        state: say,
        records: this.measured.records,
        lagMs: ms,
        bucket: settings.bucket,
        ...(say === 'behind' && reason ? { reason } : {}),
      });
      await archiving.markLag(say === 'behind');
    } catch (error) {
      // Redis or Slack away: the next run measures and says it again.
      this.deps.warn('audit archive lag not measured or not told', { err: (error as Error).message });
    }
  }
}
