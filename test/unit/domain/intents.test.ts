import { describe, expect, it } from 'vitest';
import { type AuditRecord, GENESIS, seal } from '../../../src/domain/audit.js';
import { intendedCode, publishIntentDetail, settle } from '../../../src/domain/intents.js';

const at = { id: 7, at: new Date('2026-12-04T10:00:00Z'), prev: GENESIS };
const shift: AuditRecord = seal(
  {
    actor: 'U0ALICE',
    action: 'shift',
    function: 'payments-api',
    alias: 'prod',
    from: { version: '3', weights: { '3': 1 } },
    to: { version: '3', weights: { '3': 0.9, '4': 0.1 } },
    result: 'pending',
    detail: 'shift 10% to v4',
    request: 'r1',
  },
  at,
);

describe('settling an intent whose outcome was never recorded', () => {
  it('the alias holds the intended routing: ok, recovered', () => {
    expect(settle(shift, { kind: 'alias', now: { version: '3', weights: { '4': 0.1, '3': 0.9 } } })).toEqual({
      result: 'ok',
      detail: 'recovered: the alias holds the routing of intent 7',
    });
  });

  it('it does not: error, not applied', () => {
    expect(settle(shift, { kind: 'alias', now: { version: '3', weights: { '3': 1 } } }).result).toBe('error');
    expect(settle(shift, { kind: 'alias', now: { version: '3', weights: { '3': 0.8, '4': 0.2 } } }).result).toBe(
      'error',
    );
  });

  describe('an alias changed again and recorded since: the next recorded change decides, not AWS now', () => {
    const after = { version: '3', weights: { '3': 0.9, '4': 0.1 } };
    const before = { version: '3', weights: { '3': 1 } };
    const now = { version: '5', weights: { '5': 1 } };

    it('it started from the intended routing: the change was made (AWS now holds something else)', () => {
      expect(settle(shift, { kind: 'alias', now, later: [{ id: '9', from: after }] })).toEqual({
        result: 'ok',
        detail: 'recovered: record 9, the next change of the alias, started from the routing of intent 7',
      });
    });

    it('it started from the routing before: not made (AWS now happens to hold the intended one)', () => {
      const settlement = settle(shift, { kind: 'alias', now: after, later: [{ id: '8', from: before }] });
      expect(settlement).toEqual({
        result: 'error',
        detail: 'not applied: record 8, the next change of the alias, started from where intent 7 did',
      });
    });

    it('from neither: unknown, said so; records before the intent do not count', () => {
      const later = [
        { id: '6', from: after },
        { id: '8', from: now },
      ];
      expect(settle(shift, { kind: 'alias', now, later })).toMatchObject({
        result: 'error',
        detail: expect.stringMatching(/^outcome unknown, taken as not applied: record 8/),
      });
    });
  });

  it('a publish is found by the code it published', () => {
    const detail = publishIntentDetail('Ab+/cdefghijklmnopqrstuvwxyz0123456789ABCDEF=', 'fraud score');
    expect(detail).toBe('publish $LATEST (code Ab+/cdefghij…): fraud score');
    expect(intendedCode(detail)).toBe('Ab+/cdefghij');
    const intent = { ...shift, action: 'publish' as const, alias: null, to: null, detail };
    const versions = [{ version: '5', codeSha256: 'Ab+/cdefghijklmnopqrstuvwxyz0123456789ABCDEF=' }];
    expect(settle(intent, { kind: 'versions', versions })).toEqual({
      result: 'ok',
      detail: 'recovered: v5 holds the code of intent 7',
    });
    expect(settle(intent, { kind: 'versions', versions: [] }).result).toBe('error');
  });

  it('something that cannot be read any more is taken as not applied, saying so', () => {
    expect(settle(shift, { kind: 'gone', why: 'prod no longer exists' })).toEqual({
      result: 'error',
      detail: 'outcome unknown, taken as not applied: prod no longer exists',
    });
  });
});
