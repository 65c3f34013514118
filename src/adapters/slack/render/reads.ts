import type { AuditRecord } from '../../../domain/audit.js';
import type { AuditVerified, Diff, GatesView, History, Status, Versions } from '../../../domain/outcome.js';
import type { Rollout } from '../../../domain/rollout.js';
import { label, type Routing, toPercent } from '../../../domain/routing.js';
import { context, ephemeral, type SlackMessage, section } from '../message.js';
import { clamp, code, escapeMrkdwn } from '../mrkdwn.js';
import { alarmStateBlocks } from './alarms.js';
import { driftText } from './alias-change.js';
import { bar, person, place, target, when } from './format.js';
import { checklist } from './gates.js';

/** Slack allows 50 blocks in a message; status keeps well under it. */
const MAX_ALIASES = 20;

export function renderStatus(o: Status): SlackMessage {
  const name = o.awsName === o.fn ? '' : ` · named ${code(o.awsName)} in AWS`;
  const unmanaged = o.managed ? '' : ' · not in the policy file: read-only';
  const blocks = [section(`*Status of* ${target(o.fn)}`), context(`In ${place(o.where)}${name}${unmanaged}`)];
  if (o.aliases.length === 0) blocks.push(section('No aliases.'));
  for (const a of o.aliases.slice(0, MAX_ALIASES)) {
    const flags = [
      a.protected ? ':lock: protected' : '',
      a.managed ? '' : '_not in the policy file: read-only_',
    ].filter(Boolean);
    const lines = [`*${escapeMrkdwn(a.alias)}*${flags.length ? `  ${flags.join(' · ')}` : ''}`, bar(a.routing)];
    if (a.lastChange) lines.push(`Last change: ${change(a.lastChange)}`);
    blocks.push(section(clamp(lines.join('\n'))));
    if (a.drift) blocks.push(section(driftText(a.drift)));
  }
  if (o.aliases.length > MAX_ALIASES) blocks.push(context(`…and ${o.aliases.length - MAX_ALIASES} more aliases`));
  for (const f of o.freezes) {
    const where = f.alias ? `${f.fn}:${f.alias}` : f.fn;
    blocks.push(
      section(
        `:ice_cube: *${escapeMrkdwn(where)} is frozen* by ${person(f.by)} ${when(f.at)}: ${clamp(escapeMrkdwn(f.reason), 500)}`,
      ),
    );
  }
  for (const r of o.approvals) {
    const what = `${r.change.action} ${r.alias} to ${label(r.change.version)}`;
    const state =
      r.status === 'pending'
        ? `${r.approvals.length}/${r.requiredApprovals} approvals, expires ${when(r.expiresAt)}`
        : 'being applied';
    blocks.push(
      context(
        `:hourglass_flowing_sand: Approval pending: ${escapeMrkdwn(what)} asked by ${person(r.requester)} (${state})`,
      ),
    );
  }
  for (const r of o.rollouts) {
    const where = r.message ? ` · progress in <#${r.message.channel}>` : '';
    blocks.push(section(`:arrow_forward: *Rollout on ${escapeMrkdwn(r.plan.alias)}*: ${rolloutLine(r)}${where}`));
  }
  if (o.gates) blocks.push(gatesBlock(o.gates));
  if (o.alarms) blocks.push(...alarmStateBlocks(o.alarms));
  if (o.auditUnavailable) blocks.push(context(':warning: Redis is unavailable: last changes and drift are not shown.'));
  return ephemeral(`Status of ${o.fn}`, blocks);
}

/** Where a rollout is, in one line: step, percent and next step time, or its phase. */
export function rolloutLine(r: Rollout): string {
  const s = r.state;
  const steps = r.plan.schedule.steps;
  const what = `${label(r.plan.baseline)} → ${label(r.plan.canary)}`;
  switch (s.phase) {
    case 'planned':
      return `${what}, waiting for approval`;
    case 'shifting':
      return s.step < 0
        ? `${what}, starting`
        : `${what}, step ${s.step + 1} of ${steps.length} (${steps[s.step]}%), next ${when(s.nextAt)}`;
    case 'paused':
      return `${what}, paused: ${escapeMrkdwn(s.reason)}`;
    case 'baking':
      return `${what}, baking until ${when(s.until)}`;
    default:
      return `${what}, ${s.phase}`;
  }
}

/** The alias's gates judged for its candidate (the soak fact is the candidate's soak clock). */
function gatesBlock(g: GatesView) {
  const head = `*Gates of ${escapeMrkdwn(g.alias)}*`;
  if (!g.candidate || !g.checks) return section(`${head}: ${escapeMrkdwn(g.note ?? 'no candidate')}`);
  const from = g.from ? ` (what ${escapeMrkdwn(g.from)} serves)` : '';
  const verdict = g.checks.every((c) => c.met) ? 'passes' : 'does not pass yet';
  return section(clamp(`${head} for candidate ${label(g.candidate)}${from}: ${verdict}\n${checklist(g.checks)}`));
}

function change(r: AuditRecord): string {
  const moved = r.from && r.to ? `: ${weights(r.from)} → ${weights(r.to)}` : '';
  return `${escapeMrkdwn(r.action)} by ${person(r.actor)} ${when(r.at)}${moved}`;
}

function weights(s: NonNullable<AuditRecord['from']>): string {
  const others = Object.entries(s.weights).filter(([v]) => v !== s.version);
  const routing: Routing = others[0]
    ? { primary: s.version, additional: { version: others[0][0], weight: others[0][1] } }
    : { primary: s.version };
  return routing.additional
    ? `${toPercent(1 - routing.additional.weight)}% ${label(s.version)} · ${toPercent(routing.additional.weight)}% ${label(routing.additional.version)}`
    : `100% ${label(s.version)}`;
}

export function renderVersions(o: Versions): SlackMessage {
  if (o.versions.length === 0)
    return ephemeral(`${o.fn} has no published versions`, [section(`${target(o.fn)} has no published versions.`)]);
  const lines = o.versions.map((v) => {
    const serving = v.aliases.map((a) => `${escapeMrkdwn(a.alias)} ${toPercent(a.weight)}%`).join(', ');
    const description = v.description ? ` ${clamp(escapeMrkdwn(v.description), 120)}` : '';
    return `${code(label(v.version))} ${code(v.codeSha256.slice(0, 8))} ${when(iso(v.lastModified))}${description}${serving ? `  ← ${serving}` : ''}`;
  });
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 10) chunks.push(lines.slice(i, i + 10).join('\n'));
  return ephemeral(`Versions of ${o.fn}`, [
    section(`*Newest ${o.versions.length} of ${o.total} versions of* ${target(o.fn)}`),
    ...chunks.map((c) => section(clamp(c))),
  ]);
}

/** Lambda writes `2026-11-26T14:33:00.000+0000`, which Date.parse does not read everywhere. */
function iso(lastModified: string): string {
  return lastModified.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}

export function renderDiff(o: Diff): SlackMessage {
  const head = `*${escapeMrkdwn(o.fn)}* ${label(o.from)} → ${label(o.to)}`;
  const lines = o.changes.map((c) => `• *${c.field}*: ${code(c.before)} → ${code(c.after)}`);
  const env = [
    o.env.added.length ? `added ${o.env.added.map(code).join(', ')}` : '',
    o.env.removed.length ? `removed ${o.env.removed.map(code).join(', ')}` : '',
    o.env.changed.length ? `changed ${o.env.changed.map(code).join(', ')}` : '',
  ].filter(Boolean);
  if (env.length) lines.push(`• *environment variables* (names only): ${env.join('; ')}`);
  const body = lines.length ? lines.join('\n') : 'No differences in code or configuration.';
  return ephemeral(`Diff of ${o.fn} ${o.from} → ${o.to}`, [section(head), section(clamp(body))]);
}

export function renderHistory(o: History): SlackMessage {
  const title = `*History of* ${target(o.fn, o.alias)}`;
  const archived = o.olderInArchive
    ? [context('Older records are in the audit archive: `npm run audit -- export --archive`.')]
    : [];
  if (o.records.length === 0) {
    const none = o.olderInArchive ? 'no audit records in Redis.' : 'no audit records yet.';
    return ephemeral(`No history for ${o.fn}`, [section(`${title}: ${none}`), ...archived]);
  }
  const lines = o.records.map((r) => historyLine(r, o.alias === undefined && r.alias ? escapeMrkdwn(r.alias) : ''));
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 10) chunks.push(lines.slice(i, i + 10).join('\n'));
  return ephemeral(`History of ${o.fn}`, [section(title), ...chunks.map((c) => section(clamp(c))), ...archived]);
}

/** One audit record in words, as `history` and the Home tab's last changes show it; `where` names its alias. */
export function historyLine(r: AuditRecord, where: string): string {
  const moved = r.from && r.to ? ` ${weights(r.from)} → ${weights(r.to)}` : r.to ? ` ${label(r.to.version)}` : '';
  const detail = r.detail ? ` — ${clamp(escapeMrkdwn(r.detail), 200)}` : '';
  const glass = r.breakglass ? ' :rotating_light: *break-glass*' : '';
  return `#${r.id} ${when(r.at)} ${person(r.actor)} *${r.action}*${where ? ` ${where}` : ''}${glass} _${r.result}_${moved}${detail}`;
}

export function renderAuditVerified(o: AuditVerified): SlackMessage {
  const from =
    o.from === undefined ? '' : ` from record #${o.from} (earlier records were archived and trimmed from Redis)`;
  if (o.ok)
    return ephemeral(`Audit chain OK: ${o.count} records`, [
      section(`:white_check_mark: Audit chain OK: ${o.count} records verified${from}.`),
    ]);
  const where = o.problem ? `record #${o.problem.id}: ${escapeMrkdwn(o.problem.reason)}` : 'unknown record';
  return ephemeral(`Audit chain BROKEN at ${where}`, [
    section(`:rotating_light: *Audit chain BROKEN* at ${where}.`),
    context(`${o.count} records before it verified${from}. Run \`npm run audit -- export\` to inspect.`),
  ]);
}
