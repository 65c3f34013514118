import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../src/adapters/slack/render/notices.js';
import type { OutsideAlert } from '../../../src/domain/outside-alert.js';

const alert: OutsideAlert = {
  id: 'xabcdefghjkmnpqrs',
  fn: 'payments-api',
  where: { account: 'prod', accountId: '222222222222', region: 'eu-west-1', home: false },
  change: { kind: 'alias-moved', alias: 'prod', before: { primary: '3' }, after: { primary: '5' }, revisionId: 'r2' },
  detectedAt: '2026-12-04T10:00:00.000Z',
  channel: 'C0PAYMENTS',
  mode: 'alert',
  botSet: { primary: '3' },
  who: { state: 'looking', since: '2026-12-04T10:00:00.000Z' },
  rev: 1,
};

const render = (a: OutsideAlert) => renderNotice({ kind: 'outside-alert', alert: a });
const text = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;
const buttons = (m: { blocks: unknown[] }) =>
  (
    (m.blocks.find((b) => (b as { type: string }).type === 'actions') as
      | { elements: { action_id: string; value: string; text: { text: string } }[] }
      | undefined) ?? { elements: [] }
  ).elements;

describe('an outside-change alert', () => {
  it('says what changed, where, before → after, and that it is looking up who', () => {
    const m = render(alert);
    expect(m.text).toBe('Changed outside the bot: payments-api (prod/eu-west-1) — prod moved from 100% v3 to 100% v5');
    expect(text(m)).toContain('*Before*\\n`██████████ 100% v3`');
    expect(text(m)).toContain('*After*\\n`██████████ 100% v5`');
    expect(text(m)).toContain('looking up who');
    expect(text(m)).toContain('In account prod (222222222222), eu-west-1');
    expect(buttons(m).map((b) => [b.action_id, b.value, b.text.text])).toEqual([
      ['outside.revert', alert.id, 'Put back to 100% v3'],
      ['outside.accept', alert.id, 'Accept as known'],
    ]);
  });

  it('names who, with the source identity; after a revert, says who put it back and drops the buttons', () => {
    const m = render({
      ...alert,
      who: {
        state: 'found',
        identity: { arn: 'arn:aws:iam::222222222222:user/mallory', sourceIdentity: 'U0MAL', at: alert.detectedAt },
      },
      reverted: { by: 'system', at: alert.detectedAt, to: { primary: '3' }, auditId: '12' },
    });
    expect(text(m)).toContain('`arn:aws:iam::222222222222:user/mallory` (source identity `U0MAL`)');
    expect(text(m)).toContain('the bot put it back to `██████████ 100% v3`');
    expect(text(m)).toContain('audit record #12');
    expect(buttons(m)).toEqual([]);
  });

  it('a deletion offers no revert, and says why', () => {
    const m = render({ ...alert, change: { kind: 'alias-deleted', alias: 'prod', before: { primary: '3' } } });
    expect(text(m)).toContain('cannot be put back by the bot');
    expect(buttons(m).map((b) => b.action_id)).toEqual(['outside.accept']);
  });

  it('a version published outside the bot is a one-line note, no buttons', () => {
    const m = render({ ...alert, change: { kind: 'version-published', version: '7', description: 'hotfix' } });
    expect(m.blocks).toHaveLength(1);
    expect(text(m)).toContain('v7 was published (hotfix) outside the bot');
    expect(buttons(m)).toEqual([]);
  });
});
