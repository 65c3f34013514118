import type { AlarmQueries } from './alarm-queries.js';
import type { ApprovalService } from './approvals.js';
import type { FreezeService } from './freezes.js';
import type { PromotionGates } from './promotion-gates.js';
import type { PublishService } from './publish.js';
import type { QueryService } from './queries.js';
import type { ReleaseService } from './release.js';
import type { RolloutService } from './rollouts.js';

/** Every use case the commands can call, built once by the composition root. */
export interface Services {
  readonly release: ReleaseService;
  readonly publish: PublishService;
  readonly queries: QueryService;
  readonly approvals: ApprovalService;
  readonly freezes: FreezeService;
  readonly rollouts: RolloutService;
  /** `alarms FN` and the alarm states of `status` (issue 6). */
  readonly alarms: AlarmQueries;
  /** Promotion gates, for `status FN:ALIAS` (CONTRACT §11). */
  readonly gates: PromotionGates;
}
