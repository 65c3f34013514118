import type { ApprovalRequest } from '../../src/domain/approval.js';
import type { BreakGlass } from '../../src/domain/breakglass.js';
import type { Freeze } from '../../src/domain/policy.js';
import { isOpen, type Rollout } from '../../src/domain/rollout.js';
import type { ApprovalStore, BreakGlassStore, FreezeStore, RolloutStore } from '../../src/ports.js';

/** Approval requests in a Map, with the same compare-and-set as Redis; values copied in and out. */
export class MemoryApprovalStore implements ApprovalStore {
  private readonly requests = new Map<string, ApprovalRequest>();

  async create(request: ApprovalRequest): Promise<void> {
    if (this.requests.has(request.id)) throw new Error(`approval request ${request.id} already exists`);
    this.requests.set(request.id, structuredClone(request));
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const found = this.requests.get(id);
    return found && structuredClone(found);
  }

  async replace(current: ApprovalRequest, next: ApprovalRequest): Promise<boolean> {
    if (this.requests.get(current.id)?.revision !== current.revision) return false;
    this.requests.set(next.id, structuredClone(next));
    return true;
  }

  async open(): Promise<ApprovalRequest[]> {
    return [...this.requests.values()]
      .filter((r) => r.status === 'pending' || r.status === 'approved')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((r) => structuredClone(r));
  }
}

export class MemoryFreezeStore implements FreezeStore {
  private readonly freezes = new Map<string, Freeze>();

  async list(fn: string): Promise<Freeze[]> {
    return [...this.freezes.values()].filter((f) => f.fn === fn).map((f) => ({ ...f }));
  }

  async put(freeze: Freeze): Promise<void> {
    this.freezes.set(freeze.alias === undefined ? freeze.fn : `${freeze.fn}:${freeze.alias}`, { ...freeze });
  }

  async remove(fn: string, alias?: string): Promise<boolean> {
    return this.freezes.delete(alias === undefined ? fn : `${fn}:${alias}`);
  }
}

/** Rollouts in a Map: compare-and-set on `revision`, one live rollout per alias. */
export class MemoryRolloutStore implements RolloutStore {
  private readonly rollouts = new Map<string, Rollout>();

  async create(rollout: Rollout): Promise<boolean> {
    const taken = [...this.rollouts.values()].some(
      (r) => open(r) && r.plan.fn === rollout.plan.fn && r.plan.alias === rollout.plan.alias,
    );
    if (taken || this.rollouts.has(rollout.id)) return false;
    this.rollouts.set(rollout.id, structuredClone(rollout));
    return true;
  }

  async get(id: string): Promise<Rollout | undefined> {
    const found = this.rollouts.get(id);
    return found && structuredClone(found);
  }

  async replace(current: Rollout, next: Rollout): Promise<boolean> {
    if (this.rollouts.get(current.id)?.revision !== current.revision) return false;
    this.rollouts.set(next.id, structuredClone(next));
    return true;
  }

  async live(): Promise<Rollout[]> {
    return [...this.rollouts.values()]
      .filter(open)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((r) => structuredClone(r));
  }
}

function open(r: Rollout): boolean {
  return isOpen(r);
}

/** Break-glass changes in a Map, with the same compare-and-set as Redis; open until reviewed. */
export class MemoryBreakGlassStore implements BreakGlassStore {
  private readonly records = new Map<string, BreakGlass>();

  async create(record: BreakGlass): Promise<void> {
    if (this.records.has(record.id)) throw new Error(`break-glass change ${record.id} already exists`);
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string): Promise<BreakGlass | undefined> {
    const found = this.records.get(id);
    return found && structuredClone(found);
  }

  async replace(current: BreakGlass, next: BreakGlass): Promise<boolean> {
    if (this.records.get(current.id)?.revision !== current.revision) return false;
    this.records.set(next.id, structuredClone(next));
    return true;
  }

  async open(): Promise<BreakGlass[]> {
    return [...this.records.values()]
      .filter((r) => !r.review)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((r) => structuredClone(r));
  }
}
