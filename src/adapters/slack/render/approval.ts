import type { types } from '@slack/bolt';
import type { ApprovalRequest } from '../../../domain/approval.js';
import type { VersionDiff } from '../../../domain/diff.js';
import { type GateCheck, gateChanges } from '../../../domain/gates.js';
import type { ApprovalRequested } from '../../../domain/outcome.js';
import { label, splitText } from '../../../domain/routing.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { bar, person, place, placed, target, when } from './format.js';
import { checklist } from './gates.js';

type Block = types.KnownBlock;

/** The request in the approvals channel: what is asked, what changes, and (while pending) the buttons. */
export function renderApprovalRequest(r: ApprovalRequest): { text: string; blocks: Block[] } {
  const what = `${r.change.action} ${r.fn}:${r.alias}${placed(r.where)} to ${label(r.change.version)}`;
  const blocks: Block[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: clamp(`Approval ${r.status === 'pending' ? 'needed' : r.status}: ${what}`, 150),
      },
    },
    section(
      `${person(r.requester)} asks to *${r.change.action}* ${target(r.fn, r.alias, r.where)} to ${label(r.change.version)}` +
        `${r.version.description ? ` — ${clamp(escapeMrkdwn(r.version.description), 300)}` : ''} · code ${code(r.version.codeSha256.slice(0, 12))}`,
    ),
  ];
  if (r.where) blocks.push(context(`In ${place(r.where)}`));
  if (r.change.kind === 'routing') {
    blocks.push({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Now*\n${bar(r.bound.routing)}` },
        { type: 'mrkdwn', text: `*Requested*\n${bar(r.change.to)}` },
      ],
    });
  } else {
    blocks.push(section(clamp(escapeMrkdwn(r.change.summary))));
  }
  if (r.diff) blocks.push(section(diffSummary(r.diff, r.bound.routing.primary, r.change.version)));
  if (r.gates) blocks.push(...gateBlocks(r.gates, r.gatesAtApproval));
  blocks.push(
    context(
      `Needs ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'} from ${escapeMrkdwn(r.approverRoles.join(' or '))}` +
        ` · expires ${when(r.expiresAt)} · request \`${r.id}\``,
    ),
  );
  for (const a of r.approvals) blocks.push(context(`:white_check_mark: Approved by ${person(a.by)} ${when(a.at)}`));
  if (r.status === 'pending') blocks.push(approvalButtons(r, what));
  else blocks.push(section(ending(r)));
  return { text: `Approval ${r.status === 'pending' ? 'needed' : r.status}: ${what}`, blocks };
}

/** The gates as the request was made, and as checked again at the last approval, saying what changed. */
function gateBlocks(asked: readonly GateCheck[], again: readonly GateCheck[] | undefined): Block[] {
  const blocks = [section(`*Gates* (checked when requested)\n${checklist(asked)}`)];
  if (again) {
    const changed = gateChanges(asked, again);
    const facts = again.some((c) => asked.find((a) => a.gate === c.gate)?.fact !== c.fact);
    const headline = changed.length
      ? `:warning: *Gates changed* since the request (${escapeMrkdwn(changed.join('; '))})`
      : `*Gates checked again* at the last approval${facts ? ' (facts moved on, verdicts the same)' : ''}`;
    blocks.push(section(`${headline}\n${checklist(again)}`));
  }
  return blocks;
}

/** Approve and reject, each with a confirmation: on the request's message and on the approver's Home tab. */
export function approvalButtons(r: ApprovalRequest, what: string): Block {
  return {
    type: 'actions',
    block_id: `approval:${r.id}`,
    elements: [
      {
        type: 'button',
        action_id: 'approval.approve',
        style: 'primary',
        value: r.id,
        text: { type: 'plain_text', text: 'Approve' },
        confirm: {
          title: { type: 'plain_text', text: 'Approve this change?' },
          text: {
            type: 'mrkdwn',
            text: clamp(
              `${escapeMrkdwn(what)}: ${splitText(r.bound.routing)} → ${r.change.kind === 'routing' ? splitText(r.change.to) : 'rollout'}`,
              300,
            ),
          },
          confirm: { type: 'plain_text', text: 'Approve' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
      {
        type: 'button',
        action_id: 'approval.reject',
        style: 'danger',
        value: r.id,
        text: { type: 'plain_text', text: 'Reject' },
        confirm: {
          title: { type: 'plain_text', text: 'Reject this change?' },
          text: { type: 'mrkdwn', text: clamp(`${escapeMrkdwn(what)} will not be made.`, 300) },
          confirm: { type: 'plain_text', text: 'Reject' },
          deny: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      },
    ],
  };
}

function ending(r: ApprovalRequest): string {
  const at = r.endedAt ? ` ${when(r.endedAt)}` : '';
  const note = r.note ? `: ${clamp(escapeMrkdwn(r.note), 500)}` : '';
  switch (r.status) {
    case 'pending':
      return '';
    case 'approved':
      return ':hourglass_flowing_sand: Approved; applying…';
    case 'applied':
      return `:rocket: *Applied*${at}.`;
    case 'rejected':
      return `:no_entry: *Rejected* by ${person(r.rejectedBy?.by ?? 'unknown')}${at}${note}. Nothing was changed.`;
    case 'expired':
      return `:hourglass: *Expired*${at} without enough approvals. Nothing was changed.`;
    case 'stale':
      return `:warning: *Not applied*${at}${note}. Ask again if it still makes sense.`;
    case 'failed':
      return `:x: *Failed*${at}${note}.`;
  }
}

function diffSummary(diff: VersionDiff, from: string, to: string): string {
  const lines = diff.changes.map((c) => `• ${c.field}: ${code(clamp(c.before, 80))} → ${code(clamp(c.after, 80))}`);
  const env = [
    diff.env.added.length ? `added ${diff.env.added.map(code).join(', ')}` : '',
    diff.env.removed.length ? `removed ${diff.env.removed.map(code).join(', ')}` : '',
    diff.env.changed.length ? `changed ${diff.env.changed.map(code).join(', ')}` : '',
  ].filter(Boolean);
  if (env.length) lines.push(`• environment variables: ${env.join('; ')}`);
  const body = lines.length ? lines.join('\n') : 'no difference in code or configuration';
  return clamp(`*What changes* (${label(from)} → ${label(to)}):\n${body}`);
}

/** The requester's answer: the request is waiting, with a link to it. */
export function renderApprovalRequested(o: ApprovalRequested): SlackMessage {
  // A link's text is plain: a channel token inside it would not render in Slack.
  const where = o.link ? `<${o.link}|the request> in <#${o.channel}>` : `<#${o.channel}>`;
  return ephemeral(`Waiting for approval: ${o.action} ${o.fn}:${o.alias}${placed(o.where)} to v${o.version}`, [
    section(
      `:hourglass_flowing_sand: ${target(o.fn, o.alias, o.where)} is protected, so your ${escapeMrkdwn(o.action)} to ${label(o.version)} waits for approval by ${escapeMrkdwn(o.approverRoles.join(' or '))}: see ${where}.`,
    ),
    context(`Expires ${when(o.expiresAt)} · nothing changes until then · request \`${o.id}\``),
  ]);
}
