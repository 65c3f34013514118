import type { AuditRecord } from '../domain/audit.js';
import type { FleetAlias, FlightItem, HomeFacts } from '../domain/home.js';
import { mayControl, mayDecide, mayReview } from '../domain/home.js';
import { groupsNamed, rolesOf } from '../domain/policy.js';
import type { Policy } from '../domain/policy-model.js';
import { isLive } from '../domain/rollout.js';
import type { ApprovalStore, AuditLog, BreakGlassStore, Clock, Directory, RolloutStore } from '../ports.js';
import type { FleetReader } from './home-fleet.js';

/**
 * A shared reading is reused this long at most, even with no new audit record: the few things Home
 * shows that change without one (an alarm the poller has not judged yet) are never older than this.
 */
const SHARED_MAX_AGE_MS = 30_000;

/** What every viewer's Home shows alike, before it is filtered for the person. */
interface Shared {
  readonly requests: Awaited<ReturnType<ApprovalStore['open']>>;
  readonly glass: Awaited<ReturnType<BreakGlassStore['open']>>;
  readonly live: Awaited<ReturnType<RolloutStore['live']>>;
  readonly functions: Awaited<ReturnType<FleetReader['all']>>;
  readonly changes: AuditRecord[];
  readonly problems: readonly string[];
}

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
  private last: { readonly version: string; readonly at: number; readonly shared: Promise<Shared> } | undefined;

  constructor(private readonly deps: HomeDeps) {}

  /**
   * `version` (the audit log's end when asked) lets viewers share one reading of what is the same for
   * everyone: a fan-out to 200 viewers after a change reads AWS and Redis once, not 200 times. Without
   * it (Home just opened, a click's answer) everything is read anew.
   */
  async viewFor(user: string, notice?: string, version?: string): Promise<HomeFacts> {
    const { policy, clock } = this.deps;
    const now = clock.now();
    const at = now.toISOString();
    const [roles, shared] = await Promise.all([this.roles(user), this.shared(version, now.getTime())]);
    const { requests, glass, live, functions, changes } = shared;
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
      problems: shared.problems,
      ...(notice ? { notice } : {}),
    };
  }

  /** What every viewer is shown alike, read once per `version` (and at most SHARED_MAX_AGE_MS old). */
  private shared(version: string | undefined, now: number): Promise<Shared> {
    const last = this.last;
    if (version !== undefined && last?.version === version && now - last.at < SHARED_MAX_AGE_MS) return last.shared;
    const shared = this.readShared();
    this.last = version === undefined ? undefined : { version, at: now, shared };
    // A reading that failed as a whole is not kept: the next viewer reads again.
    shared.catch(() => {
      if (this.last?.shared === shared) this.last = undefined;
    });
    return shared;
  }

  private async readShared(): Promise<Shared> {
    const problems: string[] = [];
    const failed =
      <T>(what: string, fallback: T) =>
      (error: unknown): T => {
        problems.push(`${what}: ${(error as Error).message}`);
        return fallback;
      };
    const [requests, glass, live, functions, changes] = await Promise.all([
      this.deps.approvals.open().catch(failed('approval requests could not be read', [])),
      this.deps.breakglass.open().catch(failed('break-glass changes could not be read', [])),
      this.deps.rollouts.live().catch(failed('rollouts could not be read', [])),
      this.deps.fleet.all(),
      this.lastChanges().catch(failed('the audit log could not be read', [])),
    ]);
    for (const f of functions) if (f.problem) problems.push(f.problem);
    return { requests, glass, live, functions, changes, problems };
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
