import { describe, expect, it } from 'vitest';
import { describeChange, diffAliases, newVersions, type OwnChanges } from '../../../src/domain/outside.js';
import { type OutsideAlert, outsideDecided, revertOffer } from '../../../src/domain/outside-alert.js';
import { type TrailEvent, whoDid } from '../../../src/domain/trail.js';

const v = (n: string) => ({ primary: n });
const none: OwnChanges = { written: {}, busy: new Set(), published: new Set() };
const AT = '2026-12-05T10:00:00.000Z';
const known = { prod: { routing: v('3'), revisionId: 'r1' }, staging: { routing: v('4'), revisionId: 's1' } };

describe('diffAliases: what AWS holds against what the watch accounted for', () => {
  it('nothing new: no change, the same state', () => {
    const seen = [
      { alias: 'prod', routing: v('3'), revisionId: 'r1' },
      { alias: 'staging', routing: v('4'), revisionId: 's1' },
    ];
    expect(diffAliases(known, seen, none, AT)).toEqual({ changes: [], next: known });
  });

  it('an alias moved, one created, one deleted', () => {
    const seen = [
      { alias: 'prod', routing: { primary: '3', additional: { version: '5', weight: 0.5 } }, revisionId: 'r2' },
      { alias: 'canary', routing: v('5'), revisionId: 'c1' },
    ];
    const { changes, next } = diffAliases(known, seen, none, AT);
    expect(changes).toEqual([
      { kind: 'alias-moved', alias: 'prod', before: v('3'), after: seen[0]?.routing, revisionId: 'r2' },
      { kind: 'alias-created', alias: 'canary', after: v('5'), revisionId: 'c1' },
      { kind: 'alias-deleted', alias: 'staging', before: v('4') },
    ]);
    expect(Object.keys(next)).toEqual(['prod', 'canary']);
    expect(next.canary).toEqual({ routing: v('5'), revisionId: 'c1', seenAt: AT });
    expect(changes.map(describeChange)).toEqual([
      'prod moved from 100% v3 to 50% v3 · 50% v5',
      'canary was created, serving 100% v5',
      'staging was deleted (it served 100% v4)',
    ]);
  });

  it('the bot’s own write is accounted for silently; an alias it is changing now is left for next time', () => {
    const seen = [
      { alias: 'prod', routing: v('5'), revisionId: 'r2' },
      { alias: 'staging', routing: v('6'), revisionId: 's2' },
    ];
    const own: OwnChanges = {
      written: { prod: { revisionId: 'r2', routing: v('5'), at: AT } },
      busy: new Set(['staging']),
      published: new Set(),
    };
    expect(diffAliases(known, seen, own, AT)).toEqual({
      changes: [],
      next: { prod: { routing: v('5'), revisionId: 'r2', seenAt: AT }, staging: known.staging },
    });
  });

  it('a new revision that moves no traffic (a description edited) is not worth an alert', () => {
    const seen = [
      { alias: 'prod', routing: v('3'), revisionId: 'r9' },
      { alias: 'staging', routing: v('4'), revisionId: 's1' },
    ];
    const { changes, next } = diffAliases(known, seen, none, AT);
    expect(changes).toEqual([]);
    expect(next.prod?.revisionId).toBe('r9');
  });

  describe('measured from the newer of what the watch saw and what the bot wrote since', () => {
    const seenAt = '2026-12-05T09:59:00.000Z';
    const watched = { prod: { routing: v('4'), revisionId: 'r1', seenAt } };
    const botWrote = (at: string): OwnChanges => ({
      ...none,
      written: { prod: { revisionId: 'r2', routing: v('3'), at } },
    });

    it('the bot moved it after the last watch, someone else right after: before is the bot’s', () => {
      const seen = [{ alias: 'prod', routing: v('5'), revisionId: 'r3' }];
      const { changes } = diffAliases(watched, seen, botWrote('2026-12-05T09:59:30.000Z'), AT);
      expect(changes).toEqual([
        { kind: 'alias-moved', alias: 'prod', before: v('3'), after: v('5'), revisionId: 'r3' },
      ]);
    });

    it('someone moves it back to what the watch last saw, just after the bot moved it: still a change', () => {
      const seen = [{ alias: 'prod', routing: v('4'), revisionId: 'r3' }];
      const { changes } = diffAliases(watched, seen, botWrote('2026-12-05T09:59:30.000Z'), AT);
      expect(changes).toEqual([
        { kind: 'alias-moved', alias: 'prod', before: v('3'), after: v('4'), revisionId: 'r3' },
      ]);
    });

    it('the watch saw an outside change after the bot’s last write: before is what the watch saw', () => {
      const seen = [{ alias: 'prod', routing: v('5'), revisionId: 'r3' }];
      const { changes } = diffAliases(watched, seen, botWrote('2026-12-05T09:58:00.000Z'), AT);
      expect(changes).toEqual([
        { kind: 'alias-moved', alias: 'prod', before: v('4'), after: v('5'), revisionId: 'r3' },
      ]);
    });

    it('a state recorded before times were kept: what the watch saw', () => {
      const seen = [{ alias: 'prod', routing: v('5'), revisionId: 'r3' }];
      const old = { prod: { routing: v('4'), revisionId: 'r1' } };
      const { changes } = diffAliases(old, seen, botWrote('2026-12-05T09:59:30.000Z'), AT);
      expect(changes[0]).toMatchObject({ before: v('4') });
    });

    it('deleted right after the bot moved it: before is the bot’s', () => {
      const { changes } = diffAliases(watched, [], botWrote('2026-12-05T09:59:30.000Z'), AT);
      expect(changes).toEqual([{ kind: 'alias-deleted', alias: 'prod', before: v('3') }]);
    });

    it('an unchanged revision keeps the time it was first seen: nothing to store', () => {
      const seen = [{ alias: 'prod', routing: v('4'), revisionId: 'r1' }];
      expect(diffAliases(watched, seen, none, AT)).toEqual({ changes: [], next: watched });
    });
  });
});

describe('newVersions', () => {
  const page = [
    { version: '4', description: 'old' },
    { version: '5', description: 'by the bot' },
    { version: '6', description: 'by hand' },
  ];
  it('reports versions newer than known, except the bot’s own', () => {
    expect(newVersions(4, page, { ...none, published: new Set(['5']) })).toEqual({
      changes: [{ kind: 'version-published', version: '6', description: 'by hand' }],
      newest: 6,
    });
  });
  it('waits while a publish of the bot’s is under way', () => {
    expect(newVersions(4, page, { ...none, publishing: true })).toEqual({ changes: [], newest: 4 });
  });
});

describe('whoDid: the CloudTrail event that made the change', () => {
  const moved = { kind: 'alias-moved', alias: 'prod', before: v('3'), after: v('5'), revisionId: 'r2' } as const;
  const event = (over: Partial<TrailEvent>): TrailEvent => ({
    eventName: 'UpdateAlias20150331',
    eventTime: '2026-12-04T10:00:00Z',
    arn: 'arn:aws:iam::000000000000:user/mallory',
    identityType: 'IAMUser',
    requestParameters: { functionName: 'payments-api', name: 'prod', functionVersion: '5' },
    responseElements: { revisionId: 'r2' },
    ...over,
  });

  it('matches call, alias and RevisionId; skips failed calls and other aliases', () => {
    const events = [
      event({ requestParameters: { name: 'staging' }, arn: 'arn:aws:iam::0:user/other' }),
      event({ errorCode: 'PreconditionFailedException', arn: 'arn:aws:iam::0:user/failed' }),
      event({ responseElements: { revisionId: 'r1' }, arn: 'arn:aws:iam::0:user/older' }),
      event({ sourceIdentity: 'U0MALLORY' }),
    ];
    expect(whoDid(moved, events)).toEqual({
      arn: 'arn:aws:iam::000000000000:user/mallory',
      type: 'IAMUser',
      sourceIdentity: 'U0MALLORY',
      at: '2026-12-04T10:00:00Z',
    });
    expect(whoDid(moved, [])).toBeUndefined();
  });

  it('a publish by its version number', () => {
    const published = { kind: 'version-published', version: '7', description: '' } as const;
    const e = event({ eventName: 'PublishVersion20150331', responseElements: { version: '7' } });
    expect(whoDid(published, [e])?.arn).toBe('arn:aws:iam::000000000000:user/mallory');
    expect(whoDid(published, [{ ...e, responseElements: { version: '6' } }])).toBeUndefined();
  });
});

describe('what an outside-change alert still offers', () => {
  const base: OutsideAlert = {
    id: 'xabcdefghjkmnpqrs',
    fn: 'payments-api',
    change: { kind: 'alias-moved', alias: 'prod', before: v('3'), after: v('5'), revisionId: 'r2' },
    detectedAt: '2026-12-04T10:00:00Z',
    channel: 'C0ALERTS',
    mode: 'alert',
    botSet: v('3'),
    who: { state: 'looking', since: '2026-12-04T10:00:00Z' },
    rev: 1,
  };
  it('revert goes back to what the bot last set, once', () => {
    expect(revertOffer(base)).toEqual(v('3'));
    expect(outsideDecided(base, 'revert')).toBeUndefined();
    const reverted = { ...base, reverted: { by: 'U0ONCALL', at: 'now', to: v('3') } };
    expect(revertOffer(reverted)).toBeUndefined();
    expect(outsideDecided(reverted, 'accept')).toEqual({ reason: 'this change was already put back', by: 'U0ONCALL' });
  });
  it('no revert of a deletion, nor without an earlier state', () => {
    const deleted = { ...base, change: { kind: 'alias-deleted', alias: 'prod', before: v('3') } as const };
    expect(revertOffer(deleted)).toBeUndefined();
    expect(outsideDecided(deleted, 'revert')?.reason).toMatch(/cannot be put back by the bot/);
    const { botSet: _, ...unset } = base;
    expect(outsideDecided(unset, 'revert')?.reason).toMatch(/no earlier state to go back to/);
  });
});
