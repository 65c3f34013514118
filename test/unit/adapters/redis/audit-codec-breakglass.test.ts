import { describe, expect, it } from 'vitest';
import { type AuditEntry, GENESIS, seal } from '../../../../src/domain/audit.js';
import { decodeRecord, encodeRecord } from '../../../../src/domain/audit-codec.js';

const entry: AuditEntry = {
  actor: 'U0ONCALL',
  action: 'rollback',
  function: 'payments-api',
  alias: 'prod',
  from: { version: '5', weights: { '5': 1 } },
  to: { version: '4', weights: { '4': 1 } },
  result: 'ok',
  detail: 'break-glass: pager fired, nobody awake',
  request: 'req-1',
};
const at = new Date('2026-12-05T10:00:00.000Z');
const glass = seal({ ...entry, breakglass: true }, { id: 1, at, prev: GENESIS });
const plain = seal(entry, { id: 1, at, prev: GENESIS });

describe('audit codec: breakglass (CONTRACT §7)', () => {
  it('round-trips breakglass: true, between request and prev', () => {
    const json = encodeRecord(glass);
    expect(Object.keys(JSON.parse(json)).slice(-4)).toEqual(['request', 'breakglass', 'prev', 'hash']);
    expect(decodeRecord(json)).toEqual({ ok: true, record: glass });
  });

  it('leaves the field out of a record without it, and decodes it without it', () => {
    const json = encodeRecord(plain);
    expect(JSON.parse(json)).not.toHaveProperty('breakglass');
    const decoded = decodeRecord(json);
    expect(decoded).toEqual({ ok: true, record: plain });
    expect(decoded.ok && decoded.record).not.toHaveProperty('breakglass');
  });

  it.each([false, 'true', 1, null])('refuses breakglass: %j', (value) => {
    const json = JSON.stringify({ ...JSON.parse(encodeRecord(plain)), breakglass: value });
    expect(decodeRecord(json)).toEqual({ ok: false, why: expect.stringMatching(/breakglass/) });
  });
});
