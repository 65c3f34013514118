/** Every benchmark `npm run bench` runs, in order. Importing a module runs nothing. */
import { alarmPoller } from './alarm-poller.js';
import { auditAppend } from './audit-append.js';
import type { Benchmark } from './types.js';

export const benchmarks: readonly Benchmark[] = [auditAppend, alarmPoller];
