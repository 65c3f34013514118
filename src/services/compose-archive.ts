/** The audit archiver's part of the composition (CONTRACT §14): its job, when the policy asks for an archive. */
import type { ArchiveLag } from '../domain/archive-plan.js';
import type { ArchiveStore, AuditArchiving } from '../ports.js';
import { Archiver } from './archiver.js';
import type { ServicePorts } from './compose.js';
import type { RecurringJob } from './recurring-job.js';

/** How long records stay in Redis when a policy built by hand (tests) does not say: the policy file's default. */
const DEFAULT_RETAIN_IN_REDIS_MS = 30 * 86_400_000;

/** The archive store and the audit log's side of archiving; absent: nothing is archived or trimmed. */
export interface ArchivePorts {
  readonly store: ArchiveStore;
  readonly archiving: AuditArchiving;
}

export interface ArchiveComposition {
  readonly job?: RecurringJob;
  /** The archive's lag as last measured, for /metrics; undefined with no archive or before the first run. */
  readonly lag: () => ArchiveLag | undefined;
}

export function composeArchive(p: ServicePorts): ArchiveComposition {
  const settings = p.policy.auditArchive;
  if (settings === undefined || p.archive === undefined) return { lag: () => undefined };
  const archiver = new Archiver({
    ...p.archive,
    settings,
    retainInRedisMs: p.policy.auditRetainInRedisMs ?? DEFAULT_RETAIN_IN_REDIS_MS,
    clock: p.clock,
    notifier: p.notifier,
    alertsChannel: p.policy.channels.alerts,
    warn: (message, fields) => p.log.warn(fields, message),
    info: (message, fields) => p.log.info(fields, message),
  });
  return {
    lag: () => archiver.lag(),
    job: {
      // Often enough to cut a segment soon after max_records wait; the interval itself is the segment's rule.
      everyMs: Math.min(settings.intervalMs, 30_000),
      run: async (fence) => {
        const report = await archiver.run(() => fence.stillLeader());
        if (report.written + report.adopted > 0) p.log.info(report, 'audit archive');
        return report;
      },
    },
  };
}
