import type { AlarmQueries } from './alarm-queries.js';
import type { PublishService } from './publish.js';
import type { QueryService } from './queries.js';
import type { ReleaseService } from './release.js';

/** Every use case the commands can call, built once by the composition root. */
export interface Services {
  readonly release: ReleaseService;
  readonly publish: PublishService;
  readonly queries: QueryService;
  /** `alarms FN` and the alarm states of `status` (issue 6). */
  readonly alarms: AlarmQueries;
}
