import type { ApprovalRequest } from '../../domain/approval.js';
import type { ApprovalStore } from '../../ports.js';
import type { Durability } from './audit-append-script.js';
import { CasRecords } from './cas-records.js';
import type { RedisClient } from './client.js';
import { redisKeys } from './keys.js';

/** Approval requests in Redis; every change is one atomic compare-and-set, so concurrent clicks on any replica apply once. */
export class RedisApprovalStore implements ApprovalStore {
  private readonly records: CasRecords<ApprovalRequest>;

  constructor(redis: RedisClient, prefix: string, durability?: Durability) {
    const keys = redisKeys(prefix);
    this.records = new CasRecords(
      redis,
      {
        what: 'an approval request',
        key: keys.approval,
        openSet: keys.openApprovals,
        isOpen: (r) => r.status === 'pending' || r.status === 'approved',
      },
      durability,
    );
  }

  async create(request: ApprovalRequest): Promise<void> {
    if ((await this.records.write(undefined, request)) !== 'written')
      throw new Error(`approval request ${request.id} already exists`);
  }

  get(id: string): Promise<ApprovalRequest | undefined> {
    return this.records.get(id);
  }

  async replace(current: ApprovalRequest, next: ApprovalRequest): Promise<boolean> {
    return (await this.records.write(current, next)) === 'written';
  }

  open(): Promise<ApprovalRequest[]> {
    return this.records.open();
  }
}
