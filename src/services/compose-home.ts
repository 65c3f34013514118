import type { AlarmQueries } from './alarm-queries.js';
import type { ServicePorts } from './compose.js';
import { HomeConsole } from './home.js';
import { HomeFleet } from './home-fleet.js';
import type { PromotionGates } from './promotion-gates.js';

/** Each person's App Home console (CONTRACT §12), over the ports and the services `status` reads too. */
export function composeHome(p: ServicePorts, alarms: AlarmQueries, gates: PromotionGates): HomeConsole {
  const { policy, clock, fleet, lambda, audit, aliases } = p;
  return new HomeConsole({
    policy,
    clock,
    audit,
    approvals: p.approvals,
    rollouts: p.rollouts,
    breakglass: p.breakglass,
    directory: p.directory,
    fleet: new HomeFleet({ policy, fleet, lambda, audit, aliases, freezes: p.freezes, alarms, gates }),
  });
}
