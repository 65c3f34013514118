/**
 * A lock lost with a dead Redis primary (CONTRACT §13): two replicas both believe they hold the lock
 * of one alias. The RevisionId precondition of UpdateAlias is the fence: AWS applies a change only
 * on top of the state its writer read and recorded as `from`, so two writers never both move the
 * alias from one state. Real Redis (two prefixes: the lock each replica sees), the emulator, the SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/adapters/clock.js';
import { RedisAliasMemory } from '../../../src/adapters/redis/alias-memory.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { RedisLocks } from '../../../src/adapters/redis/locks.js';
import { actingFor } from '../../../src/domain/target.js';
import { AliasChanger, type ChangePlan } from '../../../src/services/alias-change.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { botAws } from '../../support/bot-aws.js';
import { redisForFile } from '../../support/redis.js';

const file = redisForFile('fence');
let h: Harness;
let aws: ReturnType<typeof botAws>;

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  await seedFunction(h.lambda, { name: 'payments-api', versions: 5, aliases: { staging: '1' } });
  aws = botAws(h.emulator.url, testPolicy());
});

afterAll(async () => {
  aws.close();
  await h.close();
});

/** A replica: its own view of the locks (the lost one), the shared audit log and alias memory. */
function replica(locksPrefix: string, shared: string): AliasChanger {
  const redis = file.redis();
  return new AliasChanger({
    lambda: aws.lambda,
    audit: new RedisAuditLog(redis, shared, systemClock),
    locks: new RedisLocks(redis, locksPrefix),
    aliases: new RedisAliasMemory(redis, shared),
    clock: systemClock,
  });
}

async function changes(): Promise<{ functionVersion: string }[]> {
  return h.control('GET', '/_emulator/alias-history?function=payments-api&alias=staging');
}

describe('two writers that both hold the lock', () => {
  it('from one state they read: AWS applies one; the other is refused and recorded as not applied', async () => {
    const shared = file.next();
    const [a, b] = [replica(file.next(), shared), replica(file.next(), shared)];
    const target = aws.fleet.named('payments-api');
    const state = await aws.lambda.getAlias(target, 'staging');
    const plan = (version: string, who: string): ChangePlan => ({
      target: actingFor(target, who),
      alias: 'staging',
      action: 'canary.step',
      bound: state,
      route: () => ({ primary: version }),
    });
    const before = (await changes()).length;
    const results = await Promise.allSettled([
      a.change({ actor: 'system', request: 'rollout-a' }, plan('2', 'U0ALICE')),
      b.change({ actor: 'system', request: 'rollout-b' }, plan('3', 'U0BOB')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'revision-conflict' });
    expect((await changes()).length - before).toBe(1);
    const records = [];
    for await (const r of new RedisAuditLog(file.redis(), shared, systemClock).export({})) records.push(r);
    expect(records.map((r) => r.result).sort()).toEqual(['error', 'ok', 'pending', 'pending']);
    expect(records.find((r) => r.result === 'error')?.detail).toBe(
      'not applied: payments-api:staging changed since it was read',
    );
  });

  it('from what each remembers: the second is made on top of the first, never from the same state', async () => {
    const shared = file.next();
    const [a, b] = [replica(file.next(), shared), replica(file.next(), shared)];
    const target = aws.fleet.named('payments-api');
    const plan = (version: string): ChangePlan => ({
      target,
      alias: 'staging',
      action: 'promote',
      route: () => ({ primary: version }),
    });
    // Both remember the same state (the one each last saw).
    await a.change({ actor: 'U0ALICE', request: 'seed' }, plan('4'));
    const done = await Promise.all([
      a.change({ actor: 'U0ALICE', request: 'a' }, plan('5')),
      b.change({ actor: 'U0BOB', request: 'b' }, plan('2')),
    ]);
    const [first, second] = [...done].sort((x, y) => (x.after.revisionId === y.before.revisionId ? -1 : 1));
    expect(second?.before.revisionId).toBe(first?.after.revisionId);
  });
});
