import type { types } from '@slack/bolt';
import { episodeOf, episodeWords, noteWords, ordinal, repeatWords } from '../../../domain/alarm-repeat.js';
import { type Alert, offersAck, rollbackOffer, type ThreadNote } from '../../../domain/alert.js';
import type { Snapshot } from '../../../domain/audit.js';
import { label, type Routing, splitText } from '../../../domain/routing.js';
import { context, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { driftText } from './alias-change.js';
import { bar, person, place, placed, target, when } from './format.js';
import type { PostedMessage } from './notices.js';

type KnownBlock = types.KnownBlock;

/**
 * An alarm alert: which alarm, why in plain words, the alias and its routing, the last change,
 * whether it is flapping or a new incident, and the buttons while they still mean something.
 * Rendered from the alert's whole state, so the same function draws the first post and every
 * update after a click, a resolution or a reopening.
 */
export function renderAlert(alert: Alert): PostedMessage {
  const where = target(alert.fn, alert.context.alias, alert.where);
  const version = alert.version ? ` · ${label(alert.version)}` : '';
  const headline = alert.resolved
    ? `:white_check_mark: *Resolved* ${code(alert.alarm)} on ${where}${version}`
    : `:rotating_light: *ALARM* ${code(alert.alarm)} on ${where}${version}`;
  const blocks: KnownBlock[] = [section(headline), section(clamp(escapeMrkdwn(alert.reason), 1000))];
  const episode = episodeOf(alert);
  const told = episodeWords(episode);
  if (told) {
    const [head, ...rest] = told.split(': ');
    blocks.push(
      section(`${episode.kind === 'flapping' ? ':repeat:' : ':new:'} *${head}*: ${escapeMrkdwn(rest.join(': '))}`),
    );
  }
  blocks.push(facts(alert));
  if (alert.context.chosen) blocks.push(context(`:information_source: ${escapeMrkdwn(alert.context.chosen)}.`));
  if (alert.context.drift) blocks.push(section(driftText(alert.context.drift)));
  const status = statusLines(alert);
  if (status.length > 0) blocks.push(section(status.join('\n')));
  const first = alert.count > 1 ? ` (first ${when(alert.since)})` : '';
  const since = `${alert.where ? `In ${place(alert.where)} · ` : ''}In ALARM since ${when(alert.lastAlarmAt)}${first}`;
  const sight = alert.firstSight ? ' · already in ALARM when the bot first saw it' : '';
  blocks.push(context(`${since}${sight} · alert \`${alert.id}\``));
  const buttons = buttonsOf(alert);
  if (buttons) blocks.push(buttons);
  const tag =
    episode.kind === 'flapping'
      ? ` (flapping, ${ordinal(episode.count)} time)`
      : episode.kind === 'new-incident'
        ? ' (new incident)'
        : '';
  const state = alert.resolved ? 'Resolved' : 'ALARM';
  const text = `${state}${tag}: ${alert.alarm} on ${alert.fn}${alert.context.alias ? `:${alert.context.alias}` : ''}${placed(alert.where)} — ${alert.reason}`;
  // The fallback text is shown in notifications, where Slack reads mrkdwn too: escaped as well.
  return { text: clamp(escapeMrkdwn(text), 3000), blocks };
}

/** Notes shown in one reply: a backlog (Slack was down while the alarm flapped) is summed up, within Slack's 50 blocks. */
const MAX_NOTES = 10;

/** A reply in the alert's thread: one line per note owed since the last reply, oldest first. */
export function renderThread(alert: Alert, notes: readonly ThreadNote[]): PostedMessage {
  const shown = notes.slice(-MAX_NOTES);
  const blocks: KnownBlock[] = [];
  if (notes.length > shown.length) {
    blocks.push(context(`_${notes.length - shown.length} earlier changes of the alarm, not shown one by one._`));
  }
  blocks.push(...shown.map((note) => section(noteLine(alert, note))));
  const text = shown.map((note) => noteWords(alert.alarm, alert.since, note)).join(' · ');
  return { text: clamp(escapeMrkdwn(text), 3000), blocks };
}

function noteLine(alert: Alert, note: ThreadNote): string {
  const name = code(alert.alarm);
  const reason = clamp(escapeMrkdwn(note.reason), 1000);
  switch (note.kind) {
    case 'resolved':
      return `:white_check_mark: ${name} is back to OK ${when(note.at)}${note.reason ? `: ${reason}` : '.'}`;
    case 'reopened': {
      // Thread replies notify nobody but the thread's followers: the person who took the alert is named.
      const held = alert.rolledBack
        ? ` ${person(alert.rolledBack.by)} rolled it back to ${label(alert.rolledBack.to)} ${when(alert.rolledBack.at)}.`
        : alert.ack
          ? ` ${person(alert.ack.by)} acknowledged it ${when(alert.ack.at)}.`
          : '';
      return `:repeat: ${name} is back in ALARM ${when(note.at)} — ${repeatWords(note.count, alert.since, note.at)}. ${reason}${held}`;
    }
    case 'no-data':
      return `:grey_question: ${name} went to INSUFFICIENT_DATA ${when(note.at)}: ${reason.replace(/\.$/, '')}; the alert stays open.`;
  }
}

function facts(alert: Alert): KnownBlock {
  const { context: c } = alert;
  const alias = c.alias ? `*${escapeMrkdwn(`${alert.fn}:${c.alias}`)} now*` : '*Routing*';
  const routing = c.routing ? bar(c.routing) : `_${escapeMrkdwn(c.routingUnknown ?? 'unknown')}_`;
  const last = c.lastChange
    ? `${escapeMrkdwn(c.lastChange.action)} by ${person(c.lastChange.actor)} ${when(c.lastChange.at)}${moved(c.lastChange.from, c.lastChange.to)}`
    : '_none in the audit log_';
  return {
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: `${alias}\n${routing}` },
      { type: 'mrkdwn', text: clamp(`*Last change*\n${last}`, 2000) },
    ],
  };
}

function statusLines(alert: Alert): string[] {
  const lines: string[] = [];
  if (alert.ack) lines.push(`:eyes: Acknowledged by ${person(alert.ack.by)} ${when(alert.ack.at)}`);
  if (alert.rolledBack) {
    const audit = alert.rolledBack.auditId ? ` (audit record #${alert.rolledBack.auditId})` : '';
    lines.push(
      `:rewind: ${person(alert.rolledBack.by)} rolled back ${target(alert.fn, alert.context.alias, alert.where)} to ${label(alert.rolledBack.to)} ${when(alert.rolledBack.at)}${audit}`,
    );
  }
  if (alert.resolved) lines.push(`:white_check_mark: Back to OK ${when(alert.resolved.at)}`);
  if (alert.noData) {
    const reason = clamp(escapeMrkdwn(alert.noData.reason), 500);
    lines.push(
      `:grey_question: INSUFFICIENT_DATA since ${when(alert.noData.at)}: ${reason} The alert stays open until the alarm is back to OK.`,
    );
  }
  if (!alert.resolved && !alert.rolledBack && 'unavailable' in alert.context.rollback) {
    lines.push(`:no_entry_sign: No rollback button: ${escapeMrkdwn(alert.context.rollback.unavailable)}`);
  }
  return lines;
}

function buttonsOf(alert: Alert): KnownBlock | undefined {
  const elements: types.Button[] = [];
  const offer = rollbackOffer(alert);
  if (offer) {
    const now = alert.context.routing ? ` It now serves ${splitText(alert.context.routing)}.` : '';
    elements.push({
      type: 'button',
      action_id: 'alarm.rollback',
      text: { type: 'plain_text', text: `Roll back to ${label(offer.version)}` },
      value: alert.id,
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Roll back?' },
        text: {
          type: 'mrkdwn',
          text: `Send all traffic of ${target(alert.fn, offer.alias, alert.where)} to ${label(offer.version)}?${now}`,
        },
        confirm: { type: 'plain_text', text: 'Roll back' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
  }
  if (offersAck(alert)) {
    elements.push({
      type: 'button',
      action_id: 'alarm.ack',
      text: { type: 'plain_text', text: 'Acknowledge' },
      value: alert.id,
    });
  }
  return elements.length > 0 ? { type: 'actions', block_id: 'alarm-alert', elements } : undefined;
}

/** `100% v41 → 100% v42`, from the snapshots an audit record keeps. */
function moved(from: Snapshot | null, to: Snapshot | null): string {
  if (!from || !to) return '';
  return `\n${splitText(routingOf(from))} → ${splitText(routingOf(to))}`;
}

function routingOf(s: Snapshot): Routing {
  const [other] = Object.entries(s.weights).filter(([v]) => v !== s.version);
  return other ? { primary: s.version, additional: { version: other[0], weight: other[1] } } : { primary: s.version };
}
