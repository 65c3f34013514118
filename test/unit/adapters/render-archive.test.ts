import { describe, expect, it } from 'vitest';
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
