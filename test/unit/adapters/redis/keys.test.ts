import { describe, expect, it } from 'vitest';
import { layoutV1ToV2, redisKeys } from '../../../../src/adapters/redis/keys.js';

/** The part of a key Redis Cluster hashes: the first `{…}` with something inside, else the whole key. */
function hashed(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

const p = 'lambda-bot:';
const k = redisKeys(p);

describe('the key layout (one hash tag per family of keys used together)', () => {
  it('every key starts with the prefix', () => {
    for (const key of [
      k.auditLog,
      k.lease('x'),
      k.approval('a1'),
      k.rollout('o1'),
      k.alarmSeen,
      k.eventClaim('Ev1'),
      k.layout,
    ]) {
      expect(key.startsWith(p)).toBe(true);
    }
  });

  it('keys a script or pipeline uses together share one slot', () => {
    const families = [
      [k.auditLog, k.auditHead, k.auditPending, k.auditIndex('payments-api'), k.auditIndex('orders{x}')],
      [k.approval('a1'), k.approval('a2:noslot'), k.openApprovals],
      [k.rollout('o1'), k.liveRollouts, k.rolloutSlot('payments-api', 'prod')],
      [k.alarmSeen, k.alarmUndelivered, k.alarmOpen('name with {braces}'), k.alarmAlert('al1'), k.alarmLatest],
      [k.lease('alarm-poller'), k.leaseFence('alarm-poller')],
    ];
    for (const family of families) expect(new Set(family.map(hashed)).size, family.join(' ')).toBe(1);
    expect(new Set(families.map((f) => hashed(f[0] as string))).size).toBe(families.length);
  });

  it('moves every key of layout version 1 to its name now, and leaves others alone', () => {
    const moves: [string, string | undefined][] = [
      ['audit:log', k.auditLog],
      ['audit:head', k.auditHead],
      ['audit:fn:payments-api', k.auditIndex('payments-api')],
      ['lease:rollout-stepper', k.lease('rollout-stepper')],
      ['lease:rollout-stepper:fence', k.leaseFence('rollout-stepper')],
      ['approval:aabcdefghjkmnpqrs', k.approval('aabcdefghjkmnpqrs')],
      ['approvals:open', k.openApprovals],
      ['rollout:oabcdefghjkmnpqrs', k.rollout('oabcdefghjkmnpqrs')],
      ['rollout:alias:payments-api:prod', k.rolloutSlot('payments-api', 'prod')],
      ['rollouts:live', k.liveRollouts],
      ['alarm:seen', k.alarmSeen],
      ['alarm:undelivered', k.alarmUndelivered],
      ['alarm:open:payments-p99', k.alarmOpen('payments-p99')],
      ['alarm:alert:alabcdefghjkmnpqr', k.alarmAlert('alabcdefghjkmnpqr')],
      ['lock:alias:payments-api:prod', undefined],
      ['alias:payments-api:prod', undefined],
      ['freezes', undefined],
      ['event:Ev0123ABCD', undefined],
    ];
    for (const [old, now] of moves) expect(layoutV1ToV2(p, `${p}${old}`), old).toBe(now);
    expect(layoutV1ToV2(p, 'other-bot:audit:log')).toBeUndefined();
    // Keys already in the layout of today are not moved again.
    for (const now of [k.auditLog, k.lease('x'), k.approval('a'), k.alarmSeen])
      expect(layoutV1ToV2(p, now)).toBeUndefined();
  });
});
