import { describe, expect, it } from 'vitest';
import {
  type BreakGlass,
  describeBypasses,
  MAX_REASON_CHARS,
  REMIND_EVERY_MS,
  reasonProblem,
  reminded,
  reminderDue,
  review,
} from '../../../src/domain/breakglass.js';

const HOUR = 3_600_000;
const record: BreakGlass = {
  id: 'bg1',
  fn: 'payments-api',
  alias: 'prod',
  action: 'promote',
  change: 'promote to v5',
  actor: 'U0ONCALL',
  reason: 'checkout errors at 40%, approver unreachable',
  bypassed: [{ kind: 'approval', approvals: 1, approvers: ['approvers'] }],
  request: 'req-1',
  at: '2026-12-05T10:00:00.000Z',
  reviewDueAt: '2026-12-06T10:00:00.000Z',
  reminders: 0,
  messages: [{ channel: 'C0APPROVALS', ts: '1.0' }],
  revision: 1,
};
const due = Date.parse(record.reviewDueAt);

describe('reasonProblem', () => {
  it.each(['checkout errors at 40%, approver unreachable', 'site is down', '  pager   fired,   nobody awake  '])(
    'takes %j',
    (reason) => {
      expect(reasonProblem(reason)).toBeUndefined();
    },
  );

  it.each([
    ['no words', ''],
    ['blanks', '    '],
    ['one word', 'outage'],
    ['two words', 'checkout broken'],
    ['three words under 12 characters', 'it is down'],
    ['three words of 12 characters only with padding', '  a b cdefgh  '],
  ])('refuses %s, with an example', (_, reason) => {
    expect(reasonProblem(reason)).toMatch(/^--break-glass needs a reason of at least 3 words, e\.g\. --break-glass /);
  });

  it('takes a reason of exactly the maximum length and refuses one more character', () => {
    const reason = `${'x'.repeat(MAX_REASON_CHARS - 8)} a b c d`;
    expect(reason).toHaveLength(MAX_REASON_CHARS);
    expect(reasonProblem(reason)).toBeUndefined();
    expect(reasonProblem(`${reason}!`)).toBe('the break-glass reason is 501 characters; keep it under 500');
  });
});

describe('review', () => {
  it('the actor may not review their own change', () => {
    expect(review(record, 'U0ONCALL', '2026-12-05T11:00:00.000Z')).toEqual({
      ok: false,
      reason: 'you broke the glass, so someone else must review it',
    });
  });

  it('someone else reviews it once', () => {
    const result = review(record, 'U0CAROL', '2026-12-05T11:00:00.000Z');
    expect(result).toEqual({
      ok: true,
      next: { ...record, review: { by: 'U0CAROL', at: '2026-12-05T11:00:00.000Z' }, revision: 2 },
    });
  });

  it('a second review is refused, naming the first', () => {
    const first = review(record, 'U0CAROL', '2026-12-05T11:00:00.000Z');
    if (!first.ok) throw new Error(first.reason);
    for (const by of ['U0BOB', 'U0CAROL', 'U0ONCALL']) {
      expect(review(first.next, by, '2026-12-05T12:00:00.000Z')).toEqual({
        ok: false,
        reason: 'it was already reviewed by <@U0CAROL> at 2026-12-05T11:00:00.000Z',
      });
    }
  });
});

describe('reminderDue', () => {
  it('is not due before the review is owed', () => {
    expect(reminderDue(record, new Date(due - 1))).toBe(false);
  });

  it('is due the moment the review is owed', () => {
    expect(reminderDue(record, new Date(due))).toBe(true);
  });

  it('is not due again within a day of the last reminder', () => {
    const once = reminded(record, new Date(due).toISOString());
    expect(reminderDue(once, new Date(due + REMIND_EVERY_MS - 1))).toBe(false);
  });

  it('is due again a day or more after the last reminder', () => {
    const once = reminded(record, new Date(due).toISOString());
    expect(reminderDue(once, new Date(due + REMIND_EVERY_MS))).toBe(true);
    expect(reminderDue(once, new Date(due + 3 * REMIND_EVERY_MS))).toBe(true);
  });

  it('is never due once reviewed', () => {
    const result = review(record, 'U0CAROL', new Date(due + HOUR).toISOString());
    if (!result.ok) throw new Error(result.reason);
    expect(reminderDue(result.next, new Date(due + 10 * REMIND_EVERY_MS))).toBe(false);
  });

  it('reminded counts the reminders and bumps the revision', () => {
    const twice = reminded(reminded(record, 'a'), 'b');
    expect(twice).toMatchObject({ remindedAt: 'b', reminders: 2, revision: 3 });
  });
});

describe('describeBypasses', () => {
  it('says when nothing was bypassed', () => {
    expect(describeBypasses([])).toBe('nothing (the change needed no approval, met its gates and was not frozen)');
  });

  it('names each bypass with what it would have needed', () => {
    expect(
      describeBypasses([
        { kind: 'freeze', where: 'payments-api', reason: 'release train' },
        { kind: 'approval', approvals: 2, approvers: ['approvers', 'leads'] },
        { kind: 'gates', unmet: ['soak: served staging 100% for 12 of 30 min', 'signed by: v5 is not signed'] },
      ]),
    ).toBe(
      'freeze of payments-api (release train), approval (2 by approvers or leads), ' +
        'gates (soak: served staging 100% for 12 of 30 min; signed by: v5 is not signed)',
    );
  });
});
