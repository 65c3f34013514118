/**
 * The services composed over the real adapters — Redis stores, the AWS SDK against the emulator,
 * Slack's WebClient against a fake — as src/main.ts composes them, for integration tests and
 * benchmarks that drive the jobs themselves (with fences they control) instead of a bot process.
 */
import type { WebClient } from '@slack/web-api';
import { PlacePacer } from '../../src/adapters/aws/pacer.js';
import { systemClock } from '../../src/adapters/clock.js';
import type { RedisClient } from '../../src/adapters/redis/client.js';
import { RedisLease } from '../../src/adapters/redis/lease.js';
import { redisStores } from '../../src/adapters/redis/stores.js';
import { SlackNotifier } from '../../src/adapters/slack/notifier.js';
import { SLACK_TAKEOVER_MS } from '../../src/adapters/slack/retry.js';
import type { Policy } from '../../src/domain/policy-model.js';
import type { Clock } from '../../src/ports.js';
import type { Fence } from '../../src/services/alert-delivery.js';
import { composeServices } from '../../src/services/compose.js';
import { botAws } from './bot-aws.js';

export interface RedisWorld {
  readonly policy: Policy;
  readonly redis: RedisClient;
  readonly prefix: string;
  /** The emulator's URL: the bot's AWS adapters are built on it as the composition root builds them. */
  readonly endpoint: string;
  readonly web: WebClient;
  /** The clock posts are paced by (a faster one makes storms quick to test). */
  readonly pacing?: Clock;
}

export function servicesOverRedis(w: RedisWorld) {
  const clock = systemClock;
  const stores = redisStores(w.redis, w.prefix, clock);
  const aws = botAws(w.endpoint, w.policy);
  const pacer = new PlacePacer(clock);
  const composition = composeServices({
    ...stores,
    policy: w.policy,
    fleet: aws.fleet,
    clock,
    lambda: aws.lambda,
    directory: { groupsOf: async () => new Set() },
    alarms: aws.alarms,
    metrics: aws.metrics,
    trail: aws.trail,
    pace: (place, notBefore) => pacer.wait(place, notBefore),
    notifier: new SlackNotifier(w.web, w.pacing ?? clock),
    takeoverMs: SLACK_TAKEOVER_MS,
    log: { info: () => {}, warn: () => {} },
  });
  const lease = new RedisLease(w.redis, w.prefix);
  /** Takes (or renews) a job's lease as the leader job would; throws if another holds it. */
  const fence = async (job: string, holder: string, ttlMs = 60_000): Promise<Fence> => {
    const token = await lease.acquire(job, holder, ttlMs);
    if (token === undefined) throw new Error(`${holder} does not hold the ${job} lease`);
    return { token, stillLeader: () => lease.holds(job, holder, token) };
  };
  return { ...composition, stores, lease, fence, close: () => aws.close() };
}
