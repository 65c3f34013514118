import type { AuditRecord } from '../domain/audit.js';
import type { FleetAlias, FlightItem, HomeFacts } from '../domain/home.js';
import { mayControl, mayDecide, mayReview } from '../domain/home.js';
import { groupsNamed, rolesOf } from '../domain/policy.js';
import type { Policy } from '../domain/policy-model.js';
import { isLive } from '../domain/rollout.js';
import type { ApprovalStore, AuditLog, BreakGlassStore, Clock, Directory, RolloutStore } from '../ports.js';
import type { FleetReader } from './home-fleet.js';

/** The newest audit records the Home tab shows (CONTRACT §12). */
export const LAST_CHANGES = 10;

export interface HomeDeps {
  readonly policy: Policy;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly approvals: ApprovalStore;
  readonly rollouts: RolloutStore;
  readonly breakglass: BreakGlassStore;
  readonly directory: Directory;
  /** Where every policy alias stands, one function at a time. */
  readonly fleet: FleetReader;
}

/**
 * What one person's Home tab shows, gathered from the stores and AWS the commands read. Read-only:
 * nothing here writes to Redis or AWS. A part that cannot be read is named in `problems` and the
 * rest is still shown, so that an account whose role cannot be assumed never blanks the console.
 */
export class HomeConsole {
  constructor(private readonly deps: HomeDeps) {}

  async viewFor(user: string, notice?: string): Promise<HomeFacts> {
    const { policy, clock } = this.deps;
    const now = clock.now();
    const at = now.toISOString();
    const problems: string[] = [];
    const failed =
      <T>(what: string, fallback: T) =>
      (error: unknown): T => {
        problems.push(`${what}: ${(error as Error).message}`);
        return fallback;
      };
    const [roles, requests, glass, live, functions, changes] = await Promise.all([
      this.roles(user),
      this.deps.approvals.open().catch(failed('approval requests could not be read', [])),
      this.deps.breakglass.open().catch(failed('break-glass changes could not be read', [])),
      this.deps.rollouts.live().catch(failed('rollouts could not be read', [])),
      this.deps.fleet.all(),
      this.lastChanges().catch(failed('the audit log could not be read', [])),
    ]);
    for (const f of functions) if (f.problem) problems.push(f.problem);
    const flying = live.filter((r) => isLive(r.state));
    const busy = new Set(flying.map((r) => `${r.plan.fn}:${r.plan.alias}`));
    const fleet: FleetAlias[] = functions.flatMap((f) =>
      f.aliases.map((a) => ({ ...a, inFlight: busy.has(`${a.fn}:${a.alias}`) })),
    );
    return {
      user,
      at,
      toDecide: requests.filter((r) => mayDecide(policy, r, user, roles, at)),
      mine: requests.filter((r) => r.requester === user && r.status === 'pending' && at < r.expiresAt),
      toReview: glass.filter((g) => mayReview(policy, g, user, roles)),
      inFlight: flying.map((rollout): FlightItem => {
        const states = functions.find((f) => f.fn === rollout.plan.fn)?.alarms ?? [];
        return {
          rollout,
          alarms: rollout.plan.alarms.map((name) => ({
            name,
            state: states.find((s) => s.name === name)?.state ?? 'unknown',
          })),
          mayControl: mayControl(policy, rollout, roles),
        };
      }),
      fleet,
      changes,
      problems,
      ...(notice ? { notice } : {}),
    };
  }

  /**
   * The viewer's roles. Slack user groups are asked only when the policy names some; if Slack does not
   * answer, the viewer sees the view of someone without those roles (never buttons they may not press).
   */
  private async roles(user: string): Promise<ReadonlySet<string>> {
    const { policy, directory } = this.deps;
    const groups = groupsNamed(policy);
    const member =
      groups.length > 0 ? await directory.groupsOf(user, groups).catch(() => new Set<string>()) : new Set();
    return rolesOf(policy, user, member as ReadonlySet<string>);
  }

  /** The newest records of every policy function, merged: what changed last, anywhere. */
  private async lastChanges(): Promise<AuditRecord[]> {
    const per = await Promise.all(
      [...this.deps.policy.functions.keys()].map((fn) =>
        this.deps.audit.recent({ fn, results: ['ok', 'error'], limit: LAST_CHANGES }),
      ),
    );
    const unique = new Map(per.flat().map((r) => [r.id, r]));
    return [...unique.values()].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, LAST_CHANGES);
  }
}
