/** The blocks of each item on the Home tab; render/home.ts puts them together within Slack's limits. */
import type { types } from '@slack/bolt';
import type { ApprovalRequest } from '../../../domain/approval.js';
import type { BreakGlass } from '../../../domain/breakglass.js';
import type { FleetAlias, FlightItem } from '../../../domain/home.js';
import { currentRouting } from '../../../domain/rollout.js';
import { label } from '../../../domain/routing.js';
import type { Where } from '../../../domain/target.js';
import { context, section } from '../message.js';
import { clamp, escapeMrkdwn } from '../mrkdwn.js';
import { approvalButtons } from './approval.js';
import { bar, person, placed, target, when } from './format.js';
import { rolloutLine } from './reads.js';
import { abort, button } from './rollout.js';

type Block = types.KnownBlock;

/** Slack's limits on what a view holds (api.slack.com/reference/block-kit). */
export const LIMITS = {
  blocks: 100,
  sectionText: 3000,
  header: 150,
  contextText: 2000,
  contextElements: 10,
  buttonText: 75,
} as const;

/** An approval request the viewer may decide: what is asked, and the same buttons as in the channel. */
export function decideBlocks(r: ApprovalRequest): Block[] {
  const what = `${r.change.action} ${r.fn}:${r.alias}${placed(r.where)} to ${label(r.change.version)}`;
  const change =
    r.change.kind === 'routing' ? `${bar(r.bound.routing)} → ${bar(r.change.to)}` : escapeMrkdwn(r.change.summary);
  const approvals = `${r.approvals.length} of ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}`;
  const text =
    `:hourglass_flowing_sand: ${person(r.requester)} asks to *${escapeMrkdwn(r.change.action)}* ${target(r.fn, r.alias, r.where)} to ${label(r.change.version)}\n` +
    `${change}\n${approvals} · expires ${when(r.expiresAt)}${r.message ? ` · in <#${r.message.channel}>` : ''} · request \`${r.id}\``;
  return [section(clamp(text, LIMITS.sectionText)), approvalButtons(r, what)];
}

/** The viewer's own requests, one line each: they wait for someone else. */
export function mineLine(r: ApprovalRequest): string {
  const missing = r.requiredApprovals - r.approvals.length;
  return (
    `:hourglass: Your *${escapeMrkdwn(r.change.action)}* of ${target(r.fn, r.alias, r.where)} to ${label(r.change.version)}` +
    ` waits for ${missing} more approval${missing === 1 ? '' : 's'} from ${escapeMrkdwn(r.approverRoles.join(' or '))}, expires ${when(r.expiresAt)}`
  );
}

/** A break-glass change owed a review, with the same button as its announcement. */
export function reviewBlocks(g: BreakGlass): Block[] {
  const text =
    `:rotating_light: ${person(g.actor)} broke the glass: *${escapeMrkdwn(g.change)}* on ${target(g.fn, g.alias, g.where)} ${when(g.at)}\n` +
    `Reason: ${clamp(escapeMrkdwn(g.reason), 600)} · review due ${when(g.reviewDueAt)} · break-glass \`${g.id}\``;
  return [
    section(clamp(text, LIMITS.sectionText)),
    {
      type: 'actions',
      block_id: `breakglass:${g.id}`,
      elements: [button(g.id, 'breakglass.review', 'Mark reviewed', 'primary')],
    },
  ];
}

/** A rollout in flight: where it is, the traffic, the alarms it watches, and pause/abort for deployers. */
export function flightBlocks(item: FlightItem): Block[] {
  const r = item.rollout;
  const head = `:arrow_forward: *Rollout of* ${target(r.plan.fn, r.plan.alias, r.plan.where)}: ${rolloutLine(r)}`;
  const blocks: Block[] = [section(clamp(`${head}\n${bar(currentRouting(r))}`, LIMITS.sectionText))];
  const alarms = item.alarms.map((a) => `${alarmEmoji(a.state)} ${escapeMrkdwn(a.name)} ${a.state}`);
  const watched = alarms.length ? `Alarms watched: ${alarms.join(' · ')}` : 'No alarms watched';
  blocks.push(
    context(clamp(`${watched} · started by ${person(r.startedBy)} · rollout \`${r.id}\``, LIMITS.contextText)),
  );
  if (item.mayControl) {
    const controls = r.state.phase === 'paused' ? [abort(r)] : [button(r.id, 'rollout.pause', 'Pause'), abort(r)];
    blocks.push({ type: 'actions', block_id: `rollout:${r.id}`, elements: controls });
  }
  return blocks;
}

/** The account and region a group of aliases is in. */
export function placeBlock(where: Where): Block {
  const account = where.account === 'own' ? "the bot's own account" : `account ${where.account}`;
  const id = where.accountId ? ` (${where.accountId})` : '';
  return context(escapeMrkdwn(`:round_pushpin: ${account}${id}, ${where.region}`));
}

/** One alias of the fleet: version and weights bar, alarm state, frozen, moved outside the bot, soak clock. */
export function aliasBlock(a: FleetAlias): Block {
  const name = `*${escapeMrkdwn(`${a.fn}:${a.alias}`)}*${a.protected ? ' :lock:' : ''}`;
  const traffic = a.routing ? bar(a.routing) : `_${escapeMrkdwn(a.unreadable ?? 'not read')}_`;
  const facts = [alarmFact(a)];
  if (a.inFlight) facts.push(':arrow_forward: rollout in flight');
  if (a.frozen) facts.push(`:ice_cube: frozen: ${clamp(escapeMrkdwn(a.frozen.reason), 200)}`);
  if (a.outsideSince) facts.push(`:warning: changed outside the bot since it set it ${when(a.outsideSince)}`);
  if (a.soak) facts.push(`:hourglass: ${clamp(escapeMrkdwn(a.soak), 200)}`);
  if (a.lastChangeAt) facts.push(`last change ${when(a.lastChangeAt)}`);
  return section(clamp(`${name}  ${traffic}\n${facts.join(' · ')}`, LIMITS.sectionText));
}

function alarmFact(a: FleetAlias): string {
  switch (a.alarm) {
    case 'ALARM':
      return `:rotating_light: *ALARM*: ${clamp(a.alarming.map(escapeMrkdwn).join(', '), 300)}`;
    case 'INSUFFICIENT_DATA':
      return ':grey_question: alarms: insufficient data';
    case 'OK':
      return ':white_check_mark: alarms OK';
    case 'unknown':
      return ':grey_question: alarms not read';
    case 'none':
      return 'no alarms watched';
  }
}

function alarmEmoji(state: string): string {
  return state === 'ALARM' ? ':rotating_light:' : state === 'OK' ? ':white_check_mark:' : ':grey_question:';
}
