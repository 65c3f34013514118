/** Every benchmark `npm run bench` runs, in order. Importing a module runs nothing. */
import { accountLatency } from './account-latency.js';
import { ackHome } from './ack-home.js';
import { ackStatus } from './ack-status.js';
import { alarmPlaces } from './alarm-places.js';
import { alarmPoller } from './alarm-poller.js';
import { archiveMemory } from './archive-memory.js';
import { archiveThroughput } from './archive-throughput.js';
import { assumeRole } from './assume-role.js';
import { auditAppend } from './audit-append.js';
import { auditAppendSentinel } from './audit-append-sentinel.js';
import { clusterLatency } from './cluster-latency.js';
import { failoverCluster, failoverSentinel } from './failover-serve.js';
import { homeFanout } from './home-fanout.js';
import { memory } from './memory.js';
import { outsideAlert } from './outside-alert.js';
import { outsideCalls } from './outside-calls.js';
import { rollbackLatency } from './rollback-latency.js';
import { slackKeepalive } from './slack-keepalive.js';
import type { Benchmark } from './types.js';

export const benchmarks: readonly Benchmark[] = [
  auditAppend,
  ackStatus,
  rollbackLatency,
  alarmPoller,
  memory,
  assumeRole,
  alarmPlaces,
  accountLatency,
  outsideAlert,
  outsideCalls,
  auditAppendSentinel,
  clusterLatency,
  failoverSentinel,
  failoverCluster,
  archiveThroughput,
  archiveMemory,
  homeFanout,
  ackHome,
  slackKeepalive,
];
