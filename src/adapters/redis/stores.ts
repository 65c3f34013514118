import type { Clock } from '../../ports.js';
import { RedisAlertStore } from './alert-store.js';
import { RedisAliasMemory } from './alias-memory.js';
import { RedisApprovalStore } from './approvals.js';
import { type Durability, NO_REPLICAS } from './audit-append-script.js';
import { RedisAuditLog } from './audit-log.js';
import { RedisBreakGlassStore } from './breakglass.js';
import type { RedisClient } from './client.js';
import { RedisFreezeStore } from './freezes.js';
import { RedisLocks } from './locks.js';
import { RedisOutsideStore } from './outside-store.js';
import { RedisRolloutStore } from './rollouts.js';

/** Every port Redis implements, under one key prefix: what the services keep between requests and replicas. */
export function redisStores(redis: RedisClient, prefix: string, clock: Clock, durability: Durability = NO_REPLICAS) {
  return {
    audit: new RedisAuditLog(redis, prefix, clock, durability),
    locks: new RedisLocks(redis, prefix),
    aliases: new RedisAliasMemory(redis, prefix),
    freezes: new RedisFreezeStore(redis, prefix),
    approvals: new RedisApprovalStore(redis, prefix, durability),
    rollouts: new RedisRolloutStore(redis, prefix, durability),
    alerts: new RedisAlertStore(redis, prefix),
    outside: new RedisOutsideStore(redis, prefix),
    breakglass: new RedisBreakGlassStore(redis, prefix, durability),
  };
}
