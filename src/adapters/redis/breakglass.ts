import type { BreakGlass } from '../../domain/breakglass.js';
import type { BreakGlassStore } from '../../ports.js';
import type { Durability } from './audit-append-script.js';
import { CasRecords } from './cas-records.js';
import type { RedisClient } from './client.js';
import { redisKeys } from './keys.js';

/** As stored: CasRecords orders the open set by `createdAt`, which for a break-glass change is when it was made. */
type Stored = BreakGlass & { readonly createdAt: string };

/** Break-glass changes in Redis: each review and reminder is one compare-and-set, so it happens once across replicas. */
export class RedisBreakGlassStore implements BreakGlassStore {
  private readonly records: CasRecords<Stored>;

  constructor(redis: RedisClient, prefix: string, durability?: Durability) {
    const keys = redisKeys(prefix);
    this.records = new CasRecords<Stored>(
      redis,
      { what: 'a break-glass change', key: keys.breakglass, openSet: keys.openBreakglass, isOpen: (r) => !r.review },
      durability,
    );
  }

  async create(record: BreakGlass): Promise<void> {
    if ((await this.records.write(undefined, stored(record))) !== 'written')
      throw new Error(`break-glass change ${record.id} already exists`);
  }

  async get(id: string): Promise<BreakGlass | undefined> {
    const found = await this.records.get(id);
    return found && plain(found);
  }

  async replace(current: BreakGlass, next: BreakGlass): Promise<boolean> {
    return (await this.records.write(stored(current), stored(next))) === 'written';
  }

  async open(): Promise<BreakGlass[]> {
    return (await this.records.open()).map(plain);
  }
}

function stored(record: BreakGlass): Stored {
  return { ...record, createdAt: record.at };
}

function plain({ createdAt: _, ...record }: Stored): BreakGlass {
  return record;
}
