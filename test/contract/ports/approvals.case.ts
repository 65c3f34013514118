/** What every ApprovalStore and FreezeStore must do (Redis and the in-memory fakes). */
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/domain/approval.js';
import type { ApprovalStore, FreezeStore } from '../../../src/ports.js';

export function sampleRequest(id: string, overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id,
    fn: 'payments-api',
    alias: 'prod',
    change: { kind: 'routing', action: 'promote', to: { primary: '4' }, version: '4' },
    requester: 'U0ALICE',
    request: 'r1',
    requestChannel: 'C0DEPLOY',
    bound: {
      routing: { primary: '3' },
      revisionId: 'rev-1',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:payments-api:prod',
    },
    version: { description: 'release 4', codeSha256: 'abc=' },
    requiredApprovals: 1,
    approverRoles: ['approvers'],
    createdAt: '2026-11-26T12:00:00.000Z',
    expiresAt: '2026-11-26T12:30:00.000Z',
    status: 'pending',
    approvals: [],
    channel: 'C0APPROVALS',
    revision: 1,
    ...overrides,
  };
}

export function approvalStoreContract(name: string, make: () => Promise<ApprovalStore>): void {
  describe(`ApprovalStore contract: ${name}`, () => {
    it('stores and reads back a request; an ID is created once', async () => {
      const store = await make();
      await store.create(sampleRequest('a1'));
      expect(await store.get('a1')).toEqual(sampleRequest('a1'));
      expect(await store.get('nope')).toBeUndefined();
      await expect(store.create(sampleRequest('a1'))).rejects.toThrow();
    });

    it('replaces only from the revision read: of two concurrent writers, one wins', async () => {
      const store = await make();
      const first = sampleRequest('a2');
      await store.create(first);
      const a = { ...first, approvals: [{ by: 'U0BOB', at: 'x' }], revision: 2 };
      const b = { ...first, approvals: [{ by: 'U0CAROL', at: 'y' }], revision: 2 };
      const results = await Promise.all([store.replace(first, a), store.replace(first, b)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.get('a2'))?.revision).toBe(2);
    });

    it('lists open requests (pending or approved) oldest first, and no ended ones', async () => {
      const store = await make();
      await store.create(sampleRequest('a3', { createdAt: '2026-11-26T12:05:00.000Z' }));
      await store.create(sampleRequest('a4', { createdAt: '2026-11-26T12:01:00.000Z' }));
      const a5 = sampleRequest('a5', { createdAt: '2026-11-26T12:02:00.000Z' });
      await store.create(a5);
      await store.replace(a5, { ...a5, status: 'rejected', revision: 2 });
      expect((await store.open()).map((r) => r.id)).toEqual(['a4', 'a3']);
    });
  });
}

export function freezeStoreContract(name: string, make: () => Promise<FreezeStore>): void {
  describe(`FreezeStore contract: ${name}`, () => {
    const freeze = { fn: 'payments-api', reason: 'release train', by: 'U0ALICE', at: '2026-11-26T12:00:00.000Z' };

    it('keeps function and alias freezes apart, and lists both for the function', async () => {
      const store = await make();
      await store.put(freeze);
      await store.put({ ...freeze, alias: 'prod', reason: 'incident' });
      await store.put({ ...freeze, fn: 'payments-api-v2' });
      expect((await store.list('payments-api')).map((f) => f.alias ?? '-').sort()).toEqual(['-', 'prod']);
      expect(await store.remove('payments-api', 'prod')).toBe(true);
      expect(await store.remove('payments-api', 'prod')).toBe(false);
      expect(await store.list('payments-api')).toEqual([freeze]);
    });

    it('a new freeze of the same target replaces the old one', async () => {
      const store = await make();
      await store.put(freeze);
      await store.put({ ...freeze, reason: 'still frozen' });
      expect((await store.list('payments-api')).map((f) => f.reason)).toEqual(['still frozen']);
    });
  });
}
