import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisApprovalStore } from '../../../src/adapters/redis/approvals.js';
import { RedisBreakGlassStore } from '../../../src/adapters/redis/breakglass.js';
import { RedisFreezeStore } from '../../../src/adapters/redis/freezes.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { RedisRolloutStore } from '../../../src/adapters/redis/rollouts.js';
import { approvalStoreContract, freezeStoreContract, sampleRequest } from '../../contract/ports/approvals.case.js';
import { breakGlassStoreContract } from '../../contract/ports/breakglass.case.js';
import { rolloutStoreContract } from '../../contract/ports/rollouts.case.js';
import { redisForFile } from '../../support/redis.js';

const file = redisForFile('approvals');
let redis: Redis;

beforeAll(() => {
  redis = file.redis();
});

approvalStoreContract('Redis', async () => new RedisApprovalStore(redis, file.next()));
freezeStoreContract('Redis', async () => new RedisFreezeStore(redis, file.next()));
rolloutStoreContract('Redis', async () => new RedisRolloutStore(redis, file.next()));
breakGlassStoreContract('Redis', async () => new RedisBreakGlassStore(redis, file.next()));

describe('RedisApprovalStore', () => {
  it('20 concurrent replacements from the same revision: exactly one lands', async () => {
    const store = new RedisApprovalStore(redis, file.next());
    const first = sampleRequest('race');
    await store.create(first);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.replace(first, { ...first, approvals: [{ by: `U${i}`, at: 'x' }], revision: 2 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('an ended request leaves the open set and expires after a month; an open one does not expire', async () => {
    const prefix = file.next();
    const store = new RedisApprovalStore(redis, prefix);
    const request = sampleRequest('ttl');
    await store.create(request);
    expect(await redis.ttl(redisKeys(prefix).approval('ttl'))).toBe(-1);
    await store.replace(request, { ...request, status: 'expired', revision: 2 });
    expect(await redis.ttl(redisKeys(prefix).approval('ttl'))).toBeGreaterThan(29 * 86_400);
    expect(await redis.zcard(redisKeys(prefix).openApprovals)).toBe(0);
  });
});
