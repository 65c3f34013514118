import type { types } from '@slack/bolt';
import { type Alert, offersAck, rollbackOffer } from '../../../domain/alert.js';
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
 * and the buttons while they still mean something. Rendered from the alert's whole state, so the
 * same function draws the first post and every update after a click or a resolution.
 */
export function renderAlert(alert: Alert): PostedMessage {
  const where = target(alert.fn, alert.context.alias, alert.where);
  const version = alert.version ? ` · ${label(alert.version)}` : '';
  const headline = alert.resolved
    ? `:white_check_mark: *Resolved* ${code(alert.alarm)} on ${where}${version}`
    : `:rotating_light: *ALARM* ${code(alert.alarm)} on ${where}${version}`;
  const blocks: KnownBlock[] = [section(headline), section(clamp(escapeMrkdwn(alert.reason), 1000)), facts(alert)];
  if (alert.context.chosen) blocks.push(context(`:information_source: ${escapeMrkdwn(alert.context.chosen)}.`));
  if (alert.context.drift) blocks.push(section(driftText(alert.context.drift)));
  const status = statusLines(alert);
  if (status.length > 0) blocks.push(section(status.join('\n')));
  const since = `${alert.where ? `In ${place(alert.where)} · ` : ''}In ALARM since ${when(alert.since)}`;
  const first = alert.firstSight ? ' · already in ALARM when the bot first saw it' : '';
  blocks.push(context(`${since}${first} · alert \`${alert.id}\``));
  const buttons = buttonsOf(alert);
  if (buttons) blocks.push(buttons);
  const state = alert.resolved ? 'Resolved' : 'ALARM';
  const text = `${state}: ${alert.alarm} on ${alert.fn}${alert.context.alias ? `:${alert.context.alias}` : ''}${placed(alert.where)} — ${alert.reason}`;
  // The fallback text is shown in notifications, where Slack reads mrkdwn too: escaped as well.
  return { text: clamp(escapeMrkdwn(text), 3000), blocks };
}

/** The reply in the alert's thread when the alarm is back to OK. */
export function renderResolved(alert: Alert): PostedMessage {
  const at = alert.resolved?.at ?? alert.since;
  const reason = alert.resolved?.reason ? `: ${clamp(escapeMrkdwn(alert.resolved.reason), 1000)}` : '.';
  const text = escapeMrkdwn(`${alert.alarm} is back to OK`);
  return { text, blocks: [section(`:white_check_mark: ${code(alert.alarm)} is back to OK ${when(at)}${reason}`)] };
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
