import type { types } from '@slack/bolt';
import type { AlarmLine, AlarmStates, Alarms } from '../../../domain/outcome.js';
import { label } from '../../../domain/routing.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { target, when } from './format.js';

const ICON = { ALARM: ':red_circle:', INSUFFICIENT_DATA: ':white_circle:', OK: ':large_green_circle:' } as const;
const PER_SECTION = 10;
/** Slack allows 50 blocks a message: at most this many alarm lines are listed. */
const MAX_LINES = 100;
/** `status` lists only the alarms that are not OK, and this many at most. */
const STATUS_LINES = 10;

/** `alarms FN`: every watched alarm, those in ALARM first, with why they are in their state. */
export function renderAlarms(o: Alarms): SlackMessage {
  const title = `*Alarms watched for* ${target(o.fn)}`;
  if (!o.watched) {
    return ephemeral(`${o.fn} is not in the policy file`, [
      section(`${target(o.fn)} is not in the policy file, so the bot watches no alarms for it.`),
    ]);
  }
  const blocks: types.KnownBlock[] = [section(`${title}: ${summary(o.states)}`)];
  if (o.states.unavailable) blocks.push(section(unavailable(o.states.unavailable)));
  else if (o.states.lines.length === 0) {
    blocks.push(
      section(
        `No alarm in CloudWatch has \`FunctionName=${escapeMrkdwn(o.fn)}\` in namespace AWS/Lambda, and the policy names none that exists.`,
      ),
    );
  }
  const lines = o.states.lines.slice(0, MAX_LINES).map(line);
  for (let i = 0; i < lines.length; i += PER_SECTION)
    blocks.push(section(clamp(lines.slice(i, i + PER_SECTION).join('\n'))));
  if (o.states.lines.length > MAX_LINES) blocks.push(context(`…and ${o.states.lines.length - MAX_LINES} more`));
  if (o.states.missing.length > 0) blocks.push(context(missing(o.states.missing)));
  return ephemeral(`Alarms of ${o.fn}: ${summary(o.states)}`, blocks);
}

/** The alarm part of `status`: a count by state, and the alarms that are not OK. */
export function alarmStateBlocks(states: AlarmStates): types.KnownBlock[] {
  if (states.unavailable) return [section(`*Alarms*: ${unavailable(states.unavailable)}`)];
  const blocks: types.KnownBlock[] = [section(`*Alarms*: ${summary(states)}`)];
  const notOk = states.lines.filter((l) => l.state !== 'OK');
  if (notOk.length > 0) {
    const shown = notOk.slice(0, STATUS_LINES).map(line);
    if (notOk.length > STATUS_LINES)
      shown.push(`…and ${notOk.length - STATUS_LINES} more: \`/lambda alarms\` lists them all`);
    blocks.push(section(clamp(shown.join('\n'))));
  }
  if (states.missing.length > 0) blocks.push(context(missing(states.missing)));
  return blocks;
}

/** One alarm; the reason only when it is not OK (an OK alarm's reason is noise). */
function line(l: AlarmLine): string {
  const about = [l.alias ? escapeMrkdwn(l.alias) : '', l.version ? label(l.version) : ''].filter(Boolean).join(' ');
  const scope = about ? ` (${about})` : '';
  const composite = l.kind === 'composite' ? ' composite' : '';
  const reason = l.state !== 'OK' ? ` — ${clamp(escapeMrkdwn(l.reason), 300)}` : '';
  return `${ICON[l.state]} ${code(l.name)}${composite}${scope} *${l.state}* since ${when(l.since)}${reason}`;
}

function summary(states: AlarmStates): string {
  if (states.unavailable) return 'unknown';
  const count = (s: AlarmLine['state']) => states.lines.filter((l) => l.state === s).length;
  const parts = [
    [count('ALARM'), 'in ALARM'],
    [count('INSUFFICIENT_DATA'), 'with insufficient data'],
    [count('OK'), 'OK'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return shown.length > 0 ? shown.join(' · ') : 'none';
}

function unavailable(message: string): string {
  return `:warning: CloudWatch did not answer, so alarm states are not shown (${escapeMrkdwn(message)}).`;
}

function missing(names: readonly string[]): string {
  return `Named in the policy file but not in CloudWatch: ${names.map(code).join(', ')}`;
}
