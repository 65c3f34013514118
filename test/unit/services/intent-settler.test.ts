/**
 * The settler (CONTRACT §13): an intent left without its outcome is settled by reading AWS, once,
 * and only once nothing can still be working on it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { publishIntentDetail } from '../../../src/domain/intents.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;
const leader = async () => true;
const staging = { fn: 'payments-api', alias: 'staging' };

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
});

/** A promote whose outcome record could not be written (Redis went away right after UpdateAlias). */
async function promoteLosingTheOutcome(version: string): Promise<void> {
  k.lambda.beforeUpdate = () => k.audit.setAvailable(false);
  await k.release.promote(alice, staging, version).catch(() => {});
  k.lambda.beforeUpdate = undefined;
  k.audit.setAvailable(true);
}

const summary = () => k.audit.records.map((r) => [r.actor, r.action, r.result]);

describe('the intent settler', () => {
  it('finds the change made in AWS and records it, as recovered, once', async () => {
    await promoteLosingTheOutcome('4');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
    expect(summary()).toEqual([['U0ALICE', 'promote', 'pending']]);
    k.clock.advance(3 * 60_000);
    await k.settler.run(leader);
    expect(summary()).toEqual([
      ['U0ALICE', 'promote', 'pending'],
      ['system', 'promote', 'ok'],
    ]);
    expect(k.audit.records[1]).toMatchObject({
      function: 'payments-api',
      alias: 'staging',
      request: 'r-alice',
      to: { version: '4', weights: { '4': 1 } },
      detail: expect.stringContaining(
        "settled by reading AWS (the outcome of U0ALICE's request was never recorded): recovered",
      ),
    });
    await k.settler.run(leader);
    expect(k.audit.records).toHaveLength(2);
    // The bot remembers it made the change: the next one shows no drift.
    const next = await k.release.promote(alice, staging, '5');
    expect(next).toMatchObject({ kind: 'alias-changed', before: { primary: '4' } });
    expect((next as { drift?: unknown }).drift).toBeUndefined();
  });

  it('a change made and then changed again: recovered by the next change recorded, not by AWS now', async () => {
    await promoteLosingTheOutcome('4');
    // Another request's promote, recorded, moves the alias on: AWS no longer holds the lost change's routing.
    await k.release.promote({ ...alice, request: 'r-alice-2' }, staging, '5');
    k.clock.advance(3 * 60_000);
    await k.settler.run(leader);
    expect(k.audit.records.at(-1)).toMatchObject({
      actor: 'system',
      action: 'promote',
      result: 'ok',
      to: { version: '4' },
      detail: expect.stringMatching(/recovered: record \d+, the next change of the alias, started from the routing/),
    });
  });

  it('an intent AWS never saw is recorded as not applied', async () => {
    await k.audit.append({
      actor: 'U0ALICE',
      action: 'shift',
      function: 'payments-api',
      alias: 'staging',
      from: { version: '3', weights: { '3': 1 } },
      to: { version: '3', weights: { '3': 0.9, '4': 0.1 } },
      result: 'pending',
      detail: 'shift 10% to v4',
      request: 'r-dead',
    });
    k.clock.advance(3 * 60_000);
    await k.settler.run(leader);
    expect(k.audit.records.at(-1)).toMatchObject({
      actor: 'system',
      action: 'shift',
      result: 'error',
      request: 'r-dead',
      detail: expect.stringContaining('not applied: the alias does not hold the routing of intent 1'),
    });
  });

  it('leaves alone what may still be under way, what has its outcome, and works only while leader', async () => {
    await promoteLosingTheOutcome('4');
    k.clock.advance(60_000);
    await k.settler.run(leader);
    await k.release.promote(alice, staging, '5');
    k.clock.advance(10 * 60_000);
    await k.settler.run(async () => false);
    expect(summary()).toEqual([
      ['U0ALICE', 'promote', 'pending'],
      ['U0ALICE', 'promote', 'pending'],
      ['U0ALICE', 'promote', 'ok'],
    ]);
  });

  it('a publish whose outcome was lost is found by its code', async () => {
    k.lambda.updateCode('payments-api', 'CodeNew123456789=');
    await k.audit.append({
      actor: 'U0ALICE',
      action: 'publish',
      function: 'payments-api',
      alias: null,
      from: null,
      to: null,
      result: 'pending',
      detail: publishIntentDetail('CodeNew123456789=', 'fraud score'),
      request: 'r-pub',
    });
    // AWS published it; the outcome record was lost.
    await k.lambda.publishVersion(k.fleet.named('payments-api'), {});
    k.clock.advance(3 * 60_000);
    await k.settler.run(leader);
    expect(k.audit.records.at(-1)).toMatchObject({
      action: 'publish',
      result: 'ok',
      request: 'r-pub',
      detail: expect.stringContaining('recovered: v6 holds the code of intent 1'),
    });
  });
});
