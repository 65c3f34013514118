import type { types } from '@slack/bolt';
import type { RolloutView } from '../../../domain/notice.js';
import type { RolloutStarted } from '../../../domain/outcome.js';
import { currentRouting, planSummary, type Rollout } from '../../../domain/rollout.js';
import { label } from '../../../domain/routing.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, escapeMrkdwn } from '../mrkdwn.js';
import { breakGlassLine } from './breakglass.js';
import { bar, person, placed, target, when } from './format.js';

type Block = types.KnownBlock;
type Button = types.Button;

/** The rollout's progress message: where it is, what the versions show, and its controls. */
export function renderRollout(view: RolloutView): { text: string; blocks: Block[] } {
  const { rollout: r } = view;
  const { plan } = r;
  const title = `Rollout of ${plan.fn}:${plan.alias}${placed(plan.where)}: ${label(plan.baseline)} → ${label(plan.canary)}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clamp(title, 150) } },
    section(`${phaseLine(r)}\n${bar(currentRouting(r))}`),
  ];
  if (view.canary || view.baseline) {
    blocks.push({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: versionText(`${label(plan.canary)} (canary)`, view.canary) },
        { type: 'mrkdwn', text: versionText(`${label(plan.baseline)} (baseline)`, view.baseline) },
      ],
    });
  }
  if (view.note) blocks.push(section(clamp(escapeMrkdwn(view.note), 1500)));
  const alarms = view.alarms.map(
    (a) =>
      `${a.state === 'ALARM' ? ':rotating_light:' : a.state === 'OK' ? ':white_check_mark:' : ':grey_question:'} ${escapeMrkdwn(a.name)} ${a.state}`,
  );
  blocks.push(context(alarms.length ? `Alarms: ${alarms.join(' · ')}` : 'No alarms watched'));
  blocks.push(
    context(
      `${escapeMrkdwn(planSummary(plan))} · started by ${person(r.startedBy)} ${when(r.createdAt)}` +
        `${r.approvedBy?.length ? ` · approved by ${r.approvedBy.map(person).join(', ')}` : ''} · rollout \`${r.id}\``,
    ),
  );
  const controls = buttons(r);
  if (controls.length) blocks.push({ type: 'actions', block_id: `rollout:${r.id}`, elements: controls });
  return { text: `${title}: ${phaseLine(r).replace(/[*:]/g, '')}`, blocks };
}

/** A marginal judgement asked in the thread: resume or abort. */
export function renderRolloutQuestion(rollout: Rollout, question: string): { text: string; blocks: Block[] } {
  return {
    text: question,
    blocks: [
      section(`:thinking_face: ${escapeMrkdwn(question)}`),
      { type: 'actions', block_id: `rollout-question:${rollout.id}`, elements: [resume(rollout.id), abort(rollout)] },
    ],
  };
}

export function renderRolloutStarted(o: RolloutStarted): SlackMessage {
  // A link's text is plain: a channel token inside it would not render in Slack.
  const where = o.link ? `<${o.link}|the progress message> in <#${o.channel}>` : `<#${o.channel}>`;
  const blocks = [
    section(`:rocket: Rollout of ${target(o.fn, o.alias, o.where)} started: ${escapeMrkdwn(o.summary)}. See ${where}.`),
  ];
  if (o.breakGlass) blocks.push(section(breakGlassLine(o.breakGlass)));
  if (o.alarming.length) {
    blocks.push(
      section(
        `:warning: Already in ALARM: ${o.alarming.map(escapeMrkdwn).join(', ')}. The rollout will roll back if a watched alarm goes into ALARM again.`,
      ),
    );
  }
  return ephemeral(`Rollout of ${o.fn}:${o.alias} started`, blocks);
}

function phaseLine(r: Rollout): string {
  const s = r.state;
  const n = r.plan.schedule.steps.length;
  switch (s.phase) {
    case 'planned':
      return ':hourglass_flowing_sand: *Waiting for approval* — nothing has moved yet.';
    case 'shifting':
      return s.step < 0
        ? `:arrow_forward: *Starting* — step 1 of ${n} ${when(s.nextAt)}`
        : `:arrow_forward: *Step ${s.step + 1} of ${n}* (${r.plan.schedule.steps[s.step]}% on the canary) — next step ${when(s.nextAt)}`;
    case 'paused':
      return `:double_vertical_bar: *Paused* by ${person(s.by)} ${when(s.at)}: ${escapeMrkdwn(s.reason)}`;
    case 'baking':
      return `:fire: *Baking* at 100% until ${when(s.until)}`;
    case 'completed':
      return `:white_check_mark: *Completed* ${when(s.at)}${s.by === 'system' ? '' : ` (promoted by ${person(s.by)})`}`;
    case 'aborted':
      return `:octagonal_sign: *Aborted* by ${person(s.by)} ${when(s.at)}: ${escapeMrkdwn(s.reason)} — all traffic back on ${label(r.plan.baseline)}`;
    case 'rolled-back':
      return `:rewind: *Rolled back* ${when(s.at)}: ${escapeMrkdwn(s.reason)} — all traffic back on ${label(r.plan.baseline)}`;
  }
}

function versionText(name: string, stats: RolloutView['canary']): string {
  if (!stats || stats.invocations === 0) return `*${name}*\nno invocations yet`;
  const rate = ((stats.errors / stats.invocations) * 100).toFixed(2);
  const p99 = stats.p99Ms === undefined ? '' : ` · p99 ${Math.round(stats.p99Ms)} ms`;
  return `*${name}*\n${stats.invocations} calls · ${rate}% errors${p99}\n\`${sparkline(stats.errorRates)}\``;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Error rate per minute as a sparkline; a minute without calls is a gap. */
export function sparkline(values: readonly (number | undefined)[]): string {
  const known = values.filter((v): v is number => v !== undefined);
  const top = Math.max(0.01, ...known);
  return (
    values.map((v) => (v === undefined ? ' ' : (BARS[Math.min(7, Math.floor((v / top) * 7.999))] ?? '▁'))).join('') ||
    ' '
  );
}

function buttons(r: Rollout): Button[] {
  switch (r.state.phase) {
    case 'shifting':
    case 'baking':
      return [button(r.id, 'rollout.pause', 'Pause'), abort(r), promote(r)];
    case 'paused':
      return [resume(r.id), abort(r), promote(r)];
    default:
      return [];
  }
}

export function button(id: string, action: string, text: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: action,
    value: id,
    text: { type: 'plain_text', text },
    ...(style ? { style } : {}),
  };
}

function resume(id: string): Button {
  return button(id, 'rollout.resume', 'Resume', 'primary');
}

export function abort(r: Rollout): Button {
  return {
    ...button(r.id, 'rollout.abort', 'Abort', 'danger'),
    confirm: {
      title: { type: 'plain_text', text: 'Abort the rollout?' },
      text: { type: 'mrkdwn', text: `All traffic goes back to ${label(r.plan.baseline)}.` },
      confirm: { type: 'plain_text', text: 'Abort' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

function promote(r: Rollout): Button {
  return {
    ...button(r.id, 'rollout.promote', 'Promote now'),
    confirm: {
      title: { type: 'plain_text', text: 'Finish the rollout now?' },
      text: {
        type: 'mrkdwn',
        text: `All traffic goes to ${label(r.plan.canary)} at once, skipping the remaining steps.`,
      },
      confirm: { type: 'plain_text', text: 'Promote' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
}
