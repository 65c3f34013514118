import { describe, expect, it } from 'vitest';
import { render } from '../../../src/adapters/slack/render/index.js';
import { renderNotice } from '../../../src/adapters/slack/render/notices.js';

describe('the audit archive lag notice', () => {
  it('says how far behind, why, and that changes go on', () => {
    const { text, blocks } = renderNotice({
      kind: 'archive-lag',
      state: 'behind',
      records: 42,
      lagMs: 5_400_000,
      bucket: 'acme-audit',
      reason: 'AccessDenied: s3:PutObject',
    });
    expect(text).toBe('The audit archive is 1h 30m behind: 42 records not archived yet (bucket acme-audit).');
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('AccessDenied: s3:PutObject');
    expect(shown).toContain('Changes go on');
  });

  it('notes the recovery', () => {
    const { text } = renderNotice({
      kind: 'archive-lag',
      state: 'recovered',
      records: 0,
      lagMs: 0,
      bucket: 'acme-audit',
    });
    expect(text).toBe('The audit archive has caught up (bucket acme-audit).');
  });
});

describe('history after a trim', () => {
  it('points to the archive for older records', () => {
    const { blocks } = render({ kind: 'history', fn: 'payments-api', records: [], olderInArchive: true });
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('no audit records in Redis');
    expect(shown).toContain('Older records are in the audit archive');
    expect(JSON.stringify(render({ kind: 'history', fn: 'payments-api', records: [] }).blocks)).not.toContain(
      'archive',
    );
  });

  it('says from which record verify checked the chain', () => {
    const { text, blocks } = render({ kind: 'audit-verified', ok: true, count: 3, from: 41 });
    expect(text).toBe('Audit chain OK: 3 records');
    expect(JSON.stringify(blocks)).toContain('from record #41');
  });
});
