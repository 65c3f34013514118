import type { types } from '@slack/bolt';
import { describeChange } from '../../../domain/outside.js';
import { type OutsideAlert, outsideDecided, revertOffer } from '../../../domain/outside-alert.js';
import { splitText } from '../../../domain/routing.js';
import { context, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { bar, person, place, placed, target, when } from './format.js';
import type { PostedMessage } from './notices.js';

type KnownBlock = types.KnownBlock;

/**
 * A change made outside the bot (CONTRACT §10): what changed, before → after, when, who (from
 * CloudTrail, found later when it lags), what was done about it, and the buttons while they still
 * mean something. A version published outside the bot is a one-line note. Rendered from the alert's
 * whole state, so the same function draws the first post and every update.
 */
export function renderOutside(alert: OutsideAlert): PostedMessage {
  const { change } = alert;
  const fallback = `Changed outside the bot: ${alert.fn}${placed(alert.where)} — ${describeChange(change)}`;
  if (change.kind === 'version-published') {
    const line = `:package: ${target(alert.fn, undefined, alert.where)}: ${escapeMrkdwn(describeChange(change))} outside the bot ${when(alert.detectedAt)}.`;
    return { text: clamp(escapeMrkdwn(fallback), 3000), blocks: [context(line)] };
  }
  const blocks: KnownBlock[] = [
    section(
      `:warning: *Changed outside the bot*: ${target(alert.fn, change.alias, alert.where)} — ${escapeMrkdwn(describeChange(change))}`,
    ),
  ];
  if (change.kind === 'alias-moved') {
    blocks.push({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Before*\n${bar(change.before)}` },
        { type: 'mrkdwn', text: `*After*\n${bar(change.after)}` },
      ],
    });
  }
  blocks.push(section(clamp([`*Who*: ${who(alert)}`, ...outcome(alert)].join('\n'), 3000)));
  const where = alert.where ? `In ${place(alert.where)} · ` : '';
  blocks.push(context(`${where}Noticed ${when(alert.detectedAt)} · alert \`${alert.id}\``));
  const buttons = buttonsOf(alert);
  if (buttons) blocks.push(buttons);
  return { text: clamp(escapeMrkdwn(fallback), 3000), blocks };
}

function who(alert: OutsideAlert): string {
  switch (alert.who.state) {
    case 'looking':
      return '_looking up who… (CloudTrail can take a few minutes)_';
    case 'unknown':
      return escapeMrkdwn(alert.who.why);
    case 'found': {
      const { arn, sourceIdentity, at } = alert.who.identity;
      const source = sourceIdentity ? ` (source identity ${code(sourceIdentity)})` : '';
      return `${code(arn)}${source}, ${when(at)}`;
    }
  }
}

function outcome(alert: OutsideAlert): string[] {
  const lines: string[] = [];
  if (alert.reverted) {
    const audit = alert.reverted.auditId ? ` (audit record #${alert.reverted.auditId})` : '';
    lines.push(
      `:rewind: ${person(alert.reverted.by)} put it back to ${bar(alert.reverted.to)} ${when(alert.reverted.at)}${audit}`,
    );
  } else if (alert.revertFailed) {
    lines.push(`:x: The bot could not put it back: ${escapeMrkdwn(alert.revertFailed)}`);
  } else if (alert.mode === 'revert' && alert.change.kind === 'alias-moved' && alert.botSet) {
    lines.push(`:hourglass_flowing_sand: This alias is put back by the bot (\`outside_changes: revert\`)…`);
  }
  if (alert.accepted)
    lines.push(
      `:white_check_mark: ${person(alert.accepted.by)} accepted it as the known state ${when(alert.accepted.at)}`,
    );
  if (alert.pausedRollout) lines.push(`:pause_button: The rollout under way on this alias was paused.`);
  const refused = outsideDecided(alert, 'revert');
  if (!alert.reverted && !alert.accepted && refused)
    lines.push(`:no_entry_sign: No revert: ${escapeMrkdwn(refused.reason)}`);
  return lines;
}

function buttonsOf(alert: OutsideAlert): KnownBlock | undefined {
  const elements: types.Button[] = [];
  const to = revertOffer(alert);
  if (to && alert.change.kind !== 'version-published') {
    elements.push({
      type: 'button',
      action_id: 'outside.revert',
      text: { type: 'plain_text', text: `Put back to ${splitText(to)}`.slice(0, 75) },
      value: alert.id,
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Put it back?' },
        text: {
          type: 'mrkdwn',
          text: `Send ${target(alert.fn, alert.change.alias, alert.where)} back to ${alert.fromWatch ? 'what it served before this change (the bot never set it)' : 'what the bot last set'}, ${splitText(to)}?`,
        },
        confirm: { type: 'plain_text', text: 'Put back' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
  }
  if (!alert.reverted && !alert.accepted) {
    elements.push({
      type: 'button',
      action_id: 'outside.accept',
      text: { type: 'plain_text', text: 'Accept as known' },
      value: alert.id,
    });
  }
  return elements.length > 0 ? { type: 'actions', block_id: 'outside-alert', elements } : undefined;
}
