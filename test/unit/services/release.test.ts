import { beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { alice, carol, kit, oncall } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;
const staging = { fn: 'payments-api', alias: 'staging' };
const prod = { fn: 'payments-api', alias: 'prod' };

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
});

/** Narrows to a change made (not an approval request). */
function changed<T extends { kind: string }>(outcome: T): Extract<T, { kind: 'alias-changed' }> {
  if (outcome.kind !== 'alias-changed') throw new Error(`expected a change, got ${outcome.kind}`);
  return outcome as Extract<T, { kind: 'alias-changed' }>;
}

function results() {
  return k.audit.records.map((r) => `${r.action}:${r.result}`);
}

async function rejection(promise: Promise<unknown>): Promise<BotError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BotError)) throw new Error(`expected a BotError, got ${String(error)}`);
  return error;
}

describe('promote', () => {
  it('writes the intent before the change and the outcome after, with from/to', async () => {
    k.lambda.beforeUpdate = () => expect(results()).toEqual(['promote:pending']);
    const outcome = await k.release.promote(alice, staging, '4');
    expect(outcome).toMatchObject({
      kind: 'alias-changed',
      before: { primary: '3' },
      after: { primary: '4' },
      auditId: '2',
    });
    expect(results()).toEqual(['promote:pending', 'promote:ok']);
    expect(k.audit.records[1]).toMatchObject({
      from: { version: '3', weights: { '3': 1 } },
      to: { version: '4', weights: { '4': 1 } },
    });
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
  });

  it('with the audit log down, refuses before touching AWS', async () => {
    k.audit.setAvailable(false);
    expect((await rejection(k.release.promote(alice, staging, '4'))).code).toBe('redis-unavailable');
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toEqual([]);
  });

  it('when AWS applied the change but its answer was lost, reads the alias back and records the change made', async () => {
    k.lambda.loseNextUpdateAnswer(new BotError('aws-unavailable', 'UpdateAlias failed (TimeoutError)'));
    const outcome = changed(await k.release.promote(alice, staging, '4'));
    expect(outcome.after).toEqual({ primary: '4' });
    expect(results()).toEqual(['promote:pending', 'promote:ok']);
    expect(k.audit.records[1]?.detail).toMatch(/answer was lost .*TimeoutError.*found the change made/);
  });

  it('a 412 on the SDK retry of an attempt that was applied is the change made, not a conflict', async () => {
    const retried412 = new BotError('revision-conflict', 'payments-api:staging changed since it was read', {
      details: { attempts: 2 },
    });
    k.lambda.loseNextUpdateAnswer(retried412);
    await k.release.promote(alice, staging, '4');
    expect(results()).toEqual(['promote:pending', 'promote:ok']);
  });

  it('an unknown outcome with the alias unchanged is recorded as not applied, and the user is told', async () => {
    k.lambda.failNext('UpdateAlias', new BotError('aws-unavailable', 'UpdateAlias failed (ServiceException 500)'));
    expect((await rejection(k.release.promote(alice, staging, '4'))).code).toBe('aws-unavailable');
    expect(results()).toEqual(['promote:pending', 'promote:error']);
    expect(k.audit.records[1]?.detail).toMatch(/^not applied: .*500/);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '3' });
  });

  it('refuses while another change holds the alias lock, naming the holder', async () => {
    await k.locks.acquire('alias:payments-api:staging', { actor: 'U0BOB', request: 'r-bob', action: 'shift' }, 30_000);
    const error = await rejection(k.release.promote(alice, staging, '4'));
    expect(error.code).toBe('busy');
    expect(error.details.holder).toMatchObject({ actor: 'U0BOB' });
    expect(k.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toEqual([]);
  });

  it('starts from the state it last knew and needs no read when nothing changed since', async () => {
    await k.release.promote(alice, staging, '4');
    k.lambda.calls.length = 0;
    await k.release.promote(alice, staging, '5');
    expect(k.lambda.calls.map((c) => c.op)).toEqual(['UpdateAlias']);
  });

  it('when the alias changed outside the bot, re-reads once, applies, and reports the drift', async () => {
    await k.release.promote(alice, staging, '4');
    k.clock.advance(60_000);
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '2' });
    const outcome = changed(await k.release.promote(alice, staging, '5'));
    expect(outcome.before).toEqual({ primary: '2' });
    expect(outcome.drift).toEqual({
      expected: { primary: '4' },
      since: '2026-11-26T12:00:00.000Z',
      found: { primary: '2' },
    });
    expect(results().slice(2)).toEqual(['promote:pending', 'promote:error', 'promote:pending', 'promote:ok']);
    expect(k.audit.records.at(-1)?.detail).toMatch(/changed outside the bot/);
  });

  it('refuses a change only on the alias as AWS holds it, never on a remembered state that is behind', async () => {
    // The bot remembers v4, its last change; AWS holds v5 (a failover lost the note of a later change).
    await k.release.promote(alice, staging, '4');
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '5' });
    const shifted = changed(await k.release.shift(alice, staging, '4', 25));
    expect(shifted.before).toEqual({ primary: '5' });
    expect(shifted.after).toEqual({ primary: '5', additional: { version: '4', weight: 0.25 } });
    const promoted = changed(await k.release.promote(alice, staging, '4'));
    expect(promoted.after).toEqual({ primary: '4' });
    expect(results()).toEqual([
      'promote:pending',
      'promote:ok',
      'shift:pending',
      'shift:ok',
      'promote:pending',
      'promote:ok',
    ]);
  });

  it('a change racing ours after the fresh read is refused and shows the alias as it is', async () => {
    let raced = false;
    k.lambda.beforeUpdate = (fn, alias) => {
      if (raced) return;
      raced = true;
      k.lambda.setAliasOutside(fn, alias, { primary: '1' });
    };
    const error = await rejection(k.release.promote(alice, staging, '4'));
    expect(error.code).toBe('revision-conflict');
    expect(error.message).toMatch(/It is now .*100% v1/);
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '1' });
    expect(results()).toEqual(['promote:pending', 'promote:error']);
  });

  it('a missing version is refused by AWS and audited as an error', async () => {
    const error = await rejection(k.release.promote(alice, staging, '99'));
    expect(error.code).toBe('version-not-found');
    expect(results()).toEqual(['promote:pending', 'promote:error']);
  });

  it('says the change is made even when Redis fails right after it', async () => {
    const original = k.audit.append.bind(k.audit);
    k.audit.append = async (entry) => {
      if (entry.result === 'ok') throw new BotError('redis-unavailable', 'gone');
      return original(entry);
    };
    const outcome = await k.release.promote(alice, staging, '4');
    expect(outcome).toMatchObject({ after: { primary: '4' }, unrecorded: true });
  });

  it('a protected alias turns the promote into an approval request and changes nothing yet', async () => {
    const outcome = await k.release.promote(alice, prod, '4');
    expect(outcome).toMatchObject({ kind: 'approval-requested', channel: 'C0APPROVALS', requiredApprovals: 1 });
    expect(results()).toEqual(['approval.request:ok']);
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
  });

  it('a user named in a role never waits on Slack for user groups', async () => {
    k.directory.groupsOf = () => Promise.reject(new BotError('slack-unavailable', 'Slack is down'));
    await k.release.promote(alice, staging, '4');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
  });

  it('members of a user group in a role get the role', async () => {
    k.directory.groups.set('S0DEPLOY', ['U0DAVE']);
    await k.release.promote({ actor: 'U0DAVE', request: 'r' }, staging, '4');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
  });

  it('an ARN of another account is refused before anything is written', async () => {
    const error = await rejection(k.release.promote(alice, { ...staging, account: '999999999999' }, '4'));
    expect(error.code).toBe('unknown-target');
    expect(error.message).toContain('account 999999999999');
    expect(results()).toEqual([]);
    expect(k.lambda.calls).toEqual([]);
  });
});

describe('shift', () => {
  it('reports a third version that lost its share', async () => {
    await k.release.shift(alice, staging, '4', 10);
    const outcome = changed(await k.release.shift(alice, staging, '5', 20));
    expect(outcome.displaced).toEqual({ version: '4', weight: 0.1 });
    expect(outcome.after).toEqual({ primary: '3', additional: { version: '5', weight: 0.2 } });
  });

  it('refuses an alias on $LATEST without writing an intent', async () => {
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '$LATEST' });
    const error = await rejection(k.release.shift(alice, staging, '4', 10));
    expect(error.code).toBe('invalid-change');
    expect(k.audit.records.filter((r) => r.result === 'pending')).toEqual([]);
  });
});

describe('rollback', () => {
  it('defaults to the version before the last change', async () => {
    await k.release.promote(alice, staging, '4');
    await k.release.shift(alice, staging, '5', 10);
    const outcome = await k.release.rollback(oncall, staging, undefined, 'errors');
    expect(outcome.after).toEqual({ primary: '4' });
    expect(k.audit.records.at(-1)?.detail).toMatch(/reason: errors/);
  });

  it('after a change outside the bot, goes back to what the bot had set', async () => {
    await k.release.promote(alice, staging, '4');
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '1' });
    const outcome = await k.release.rollback(oncall, staging, undefined, undefined);
    expect(outcome.after).toEqual({ primary: '4' });
  });

  it('with no history asks for the version', async () => {
    const error = await rejection(k.release.rollback(oncall, staging, undefined, undefined));
    expect(error.code).toBe('needs-version');
    expect(error.message).toMatch(/rollback payments-api:staging V/);
    expect(error.message).not.toMatch(/archive/);
  });

  it('with no history left in Redis after a trim, says the earlier history may be in the archive', async () => {
    k.audit.base = { id: 40, hash: 'a'.repeat(64), at: '2024-11-01T00:00:00.000Z' };
    const error = await rejection(k.release.rollback(oncall, staging, undefined, undefined));
    expect(error.code).toBe('needs-version');
    expect(error.message).toMatch(/earlier history may be in the audit archive\); say which version/);
  });

  it('is direct for responders on a protected alias, and refused for others', async () => {
    await k.release.rollback(oncall, prod, '2', 'p99');
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '2' });
    expect((await rejection(k.release.rollback(carol, prod, '1', undefined))).code).toBe('not-permitted');
  });
});
