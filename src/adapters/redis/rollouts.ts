import { isOpen, type Rollout } from '../../domain/rollout.js';
import type { RolloutStore } from '../../ports.js';
import type { Durability } from './audit-append-script.js';
import { CasRecords } from './cas-records.js';
import type { RedisClient } from './client.js';
import { redisKeys } from './keys.js';

/** Rollouts in Redis: compare-and-set per change, and one live rollout per alias. */
export class RedisRolloutStore implements RolloutStore {
  private readonly records: CasRecords<Rollout>;

  constructor(redis: RedisClient, prefix: string, durability?: Durability) {
    const keys = redisKeys(prefix);
    this.records = new CasRecords(
      redis,
      {
        what: 'a rollout',
        key: keys.rollout,
        openSet: keys.liveRollouts,
        isOpen,
        slot: (r) => keys.rolloutSlot(r.plan.fn, r.plan.alias),
      },
      durability,
    );
  }

  async create(rollout: Rollout): Promise<boolean> {
    return (await this.records.write(undefined, rollout)) === 'written';
  }

  get(id: string): Promise<Rollout | undefined> {
    return this.records.get(id);
  }

  async replace(current: Rollout, next: Rollout): Promise<boolean> {
    return (await this.records.write(current, next)) === 'written';
  }

  live(): Promise<Rollout[]> {
    return this.records.open();
  }
}
