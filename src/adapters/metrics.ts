import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ArchiveLag } from '../domain/archive-plan.js';

/** The bot's Prometheus metrics, on a registry of its own so that tests can make as many as they like. */
export class Metrics {
  readonly registry = new Registry();

  /** Slash commands and clicks handled, by kind (`command`/`action`), name (verb or action_id) and result. */
  readonly requests = new Counter({
    name: 'lambda_bot_slack_requests_total',
    help: 'Slack requests handled, by type, command or action, and outcome',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Time from the HTTP request arriving to Slack being acknowledged: it must stay well under Slack's 3 s. */
  readonly ack = new Histogram({
    name: 'lambda_bot_ack_seconds',
    help: 'Time from receiving a Slack request to acknowledging it',
    labelNames: ['type', 'name'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Every HTTP response by route and status: rejected signatures show up as `/slack/events` 401. */
  readonly http = new Counter({
    name: 'lambda_bot_http_responses_total',
    help: 'HTTP responses by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'lambda_bot_' });
  }

  /**
   * The audit archive's lag (CONTRACT §14), read from `lag` at each scrape. Reported by the replica
   * that runs the archiver; the others, and a bot without an archive, report nothing.
   */
  watchArchive(lag: () => ArchiveLag | undefined): void {
    new Gauge({
      name: 'lambda_bot_audit_archive_lag_seconds',
      help: 'Age of the oldest audit record not archived yet (0 when the archive is caught up)',
      registers: [this.registry],
      collect() {
        const now = lag();
        if (now) this.set(now.ms / 1000);
      },
    });
    new Gauge({
      name: 'lambda_bot_audit_archive_behind_records',
      help: 'Audit records written but not archived yet',
      registers: [this.registry],
      collect() {
        const now = lag();
        if (now) this.set(now.records);
      },
    });
  }
}
