import type { types } from '@slack/bolt';
import { type BreakGlass, describeBypasses } from '../../../domain/breakglass.js';
import type { BreakGlassUse } from '../../../domain/outcome.js';
import { context, section } from '../message.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { person, place, placed, target, when } from './format.js';
import type { PostedMessage } from './notices.js';

/**
 * A break-glass announcement (CONTRACT §11): who, what, why, what it went past, and the review
 * button until an approver other than the actor reviews it. Rendered from the whole record, so the
 * same function draws the post and its update once reviewed.
 */
export function renderBreakGlass(record: BreakGlass): PostedMessage {
  const subject = target(record.fn, record.alias, record.where);
  const fallback = `Break-glass: ${record.fn}:${record.alias}${placed(record.where)} — ${record.change} by ${record.actor}: ${record.reason}`;
  const blocks: types.KnownBlock[] = [
    section(
      `:rotating_light: *Break-glass* on ${subject}: ${escapeMrkdwn(record.change)} by ${person(record.actor)}\n>${escapeMrkdwn(record.reason)}`,
    ),
    section(`*Went past:* ${escapeMrkdwn(describeBypasses(record.bypassed))}`),
  ];
  if (record.review) {
    blocks.push(section(`:white_check_mark: Reviewed by ${person(record.review.by)} ${when(record.review.at)}.`));
  } else {
    blocks.push(
      section(`An approver other than ${person(record.actor)} must review this change by ${when(record.reviewDueAt)}.`),
    );
    blocks.push({
      type: 'actions',
      block_id: 'breakglass',
      elements: [
        {
          type: 'button',
          action_id: 'breakglass.review',
          text: { type: 'plain_text', text: 'Mark reviewed' },
          value: record.id,
          style: 'primary',
        },
      ],
    });
  }
  const where = record.where ? `In ${place(record.where)} · ` : '';
  blocks.push(
    context(`${where}Made ${when(record.at)} · break-glass \`${record.id}\` · request \`${record.request}\``),
  );
  return { text: fallback, blocks };
}

/** The review is overdue: a reply in the announcement's thread (or a post, if there is none). */
export function renderBreakGlassReminder(record: BreakGlass): PostedMessage {
  const subject = target(record.fn, record.alias, record.where);
  const text = `Break-glass review overdue: ${record.fn}:${record.alias} — ${record.change} by ${record.actor} (due ${record.reviewDueAt})`;
  return {
    text,
    blocks: [
      section(
        `:alarm_clock: The break-glass change on ${subject} (${escapeMrkdwn(record.change)} by ${person(record.actor)}) has not been reviewed; it was due ${when(record.reviewDueAt)}. Reminder ${record.reminders}.`,
      ),
      context(`Reason given: ${escapeMrkdwn(record.reason)} · break-glass \`${record.id}\``),
    ],
  };
}

/** The line an announced change or rollout carries when it was made with break-glass. */
export function breakGlassLine(use: BreakGlassUse): string {
  return `:rotating_light: *Break-glass*: ${escapeMrkdwn(use.reason)} — went past ${escapeMrkdwn(describeBypasses(use.bypassed))}; an approver must review it.`;
}
