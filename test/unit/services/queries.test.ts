import { beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 4, {
    prod: { primary: '3' },
    staging: { primary: '3', additional: { version: '4', weight: 0.2 } },
  });
});

describe('status', () => {
  it('shows every alias with its last audited change and protection', async () => {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    const status = await k.queries.status({ fn: 'payments-api' });
    expect(status.auditUnavailable).toBe(false);
    const [prod, staging] = status.aliases;
    expect(prod).toMatchObject({ alias: 'prod', protected: true, managed: true });
    expect(prod?.lastChange).toBeUndefined();
    expect(staging?.lastChange).toMatchObject({ action: 'promote', actor: 'U0ALICE', result: 'ok' });
  });

  it('notices drift since the bot last wrote', async () => {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '1' });
    const status = await k.queries.status({ fn: 'payments-api', alias: 'staging' });
    expect(status.aliases[0]?.drift).toMatchObject({ expected: { primary: '4' }, found: { primary: '1' } });
  });

  it('still answers from AWS when Redis is down', async () => {
    const down = async (): Promise<never> => {
      throw new BotError('redis-unavailable', 'Redis is down');
    };
    k.audit.setAvailable(false);
    k.aliases.recall = down;
    k.aliases.saw = down;
    const status = await k.queries.status({ fn: 'payments-api' });
    expect(status.auditUnavailable).toBe(true);
    expect(status.aliases.map((a) => a.alias)).toEqual(['prod', 'staging']);
  });
});

describe('versions, diff, history', () => {
  it('versions: newest first, with the aliases serving each', async () => {
    const versions = await k.queries.versions({ fn: 'payments-api' }, 2);
    expect(versions.total).toBe(4);
    expect(versions.versions.map((v) => v.version)).toEqual(['4', '3']);
    expect(versions.versions[0]?.aliases).toEqual([{ alias: 'staging', weight: 0.2 }]);
    expect(versions.versions[1]?.aliases).toEqual([
      { alias: 'prod', weight: 1 },
      { alias: 'staging', weight: 0.8 },
    ]);
  });

  it('diff names changed environment variables without values', async () => {
    const diff = await k.queries.diff({ fn: 'payments-api' }, '1', '2');
    expect(diff.env.changed).toEqual(['TABLE']);
    expect(JSON.stringify(diff)).not.toMatch(/fp-/);
  });

  it('history is newest first and filters by alias', async () => {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '2');
    const history = await k.queries.history({ fn: 'payments-api', alias: 'staging' }, 10);
    expect(history.records.map((r) => r.result)).toEqual(['ok', 'pending']);
    expect((await k.queries.history({ fn: 'payments-api', alias: 'prod' }, 10)).records).toEqual([]);
    expect(history).not.toHaveProperty('olderInArchive');
  });

  it('history says older records are in the archive when its answer reached where Redis was trimmed', async () => {
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    k.audit.base = { id: 40, hash: 'a'.repeat(64), at: '2024-11-01T00:00:00.000Z' };
    const all = await k.queries.history({ fn: 'payments-api', alias: 'staging' }, 10);
    expect(all).toMatchObject({ olderInArchive: true });
    // A full page did not reach the trim point: nothing to say.
    expect(await k.queries.history({ fn: 'payments-api', alias: 'staging' }, 1)).not.toHaveProperty('olderInArchive');
  });
});
