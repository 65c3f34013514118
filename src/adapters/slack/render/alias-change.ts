import type { AliasChanged, Drift, FreezeChanged, Published } from '../../../domain/outcome.js';
import { label, toPercent } from '../../../domain/routing.js';
import type { SlackMessage } from '../message.js';
import { context, section } from '../message.js';
import { clamp, escapeMrkdwn } from '../mrkdwn.js';
import { breakGlassLine } from './breakglass.js';
import { bar, person, placed, split, target, when } from './format.js';

const VERB = { promote: 'promoted', shift: 'shifted', rollback: 'rolled back' } as const;
const ICON = { promote: ':rocket:', shift: ':twisted_rightwards_arrows:', rollback: ':rewind:' } as const;

/** A change made: announced in the channel, before → after. */
export function renderAliasChanged(o: AliasChanged): SlackMessage {
  const headline = `${ICON[o.action]} ${person(o.actor)} ${VERB[o.action]} ${target(o.fn, o.alias, o.where)}`;
  const blocks = [
    section(headline),
    {
      type: 'section' as const,
      fields: [
        { type: 'mrkdwn' as const, text: `*Before*\n${bar(o.before)}` },
        { type: 'mrkdwn' as const, text: `*After*\n${bar(o.after)}` },
      ],
    },
  ];
  if (o.breakGlass) blocks.push(section(breakGlassLine(o.breakGlass)));
  if (o.drift) blocks.push(section(driftText(o.drift)));
  if (o.displaced) {
    blocks.push(
      context(
        `:information_source: ${label(o.displaced.version)} no longer receives traffic (it had ${toPercent(o.displaced.weight)}%).`,
      ),
    );
  }
  if (o.reason) blocks.push(context(`Reason: ${clamp(escapeMrkdwn(o.reason), 500)}`));
  if (o.unrecorded) {
    blocks.push(
      section(
        ':warning: The change was made, but Redis failed before its outcome was recorded; the audit log holds its intent.',
      ),
    );
  }
  blocks.push(context(o.auditId ? `Audit record #${o.auditId}` : 'Audit outcome pending'));
  const text = `${o.fn}:${o.alias}${placed(o.where)} ${VERB[o.action]}: ${split(o.before)} → ${split(o.after)}`;
  return { response_type: 'in_channel', text, blocks };
}

export function driftText(drift: Drift): string {
  return `:warning: *Changed outside the bot*: the bot last set ${bar(drift.expected)} (${when(drift.since)}), but found ${bar(drift.found)}.`;
}

/** A freeze or its lifting: news for the channel, since it stops (or frees) everyone's releases. */
export function renderFreezeChanged(o: FreezeChanged): SlackMessage {
  const where = target(o.fn, o.alias);
  const text = o.frozen
    ? `:ice_cube: ${person(o.actor)} froze ${where}: ${clamp(escapeMrkdwn(o.reason ?? ''), 500)}. Promote, shift and canary are refused until \`/lambda unfreeze\`; rollback still works.`
    : `:sunny: ${person(o.actor)} lifted the freeze of ${where}.`;
  return {
    response_type: 'in_channel',
    text: `${o.fn}${o.alias ? `:${o.alias}` : ''} ${o.frozen ? 'frozen' : 'unfrozen'}`,
    blocks: [section(text)],
  };
}

/** A publish: a new version is news for the channel; "nothing changed" is only for the asker. */
export function renderPublished(o: Published): SlackMessage {
  const description = o.description ? ` — ${clamp(escapeMrkdwn(o.description), 500)}` : '';
  const sha = `\`${o.codeSha256.slice(0, 12)}\``;
  const waited =
    o.waitedMs >= 1000 ? ` after waiting ${Math.round(o.waitedMs / 1000)} s for Lambda to finish updating` : '';
  if (o.unchanged) {
    const text = `Nothing changed since version ${o.version} of ${o.fn}`;
    return {
      response_type: 'ephemeral',
      text,
      blocks: [
        section(
          `:zzz: Nothing changed since ${label(o.version)} of ${target(o.fn)}${description} (code ${sha}); no new version was made.`,
        ),
      ],
    };
  }
  const blocks = [
    section(
      `:package: ${person(o.actor)} published ${target(o.fn, undefined, o.where)} ${label(o.version)}${description}`,
    ),
    context(`Code ${sha}${waited} · Audit record #${o.auditId || '?'}`),
  ];
  if (o.unrecorded) blocks.push(section(':warning: Published, but Redis failed before the outcome was recorded.'));
  return { response_type: 'in_channel', text: `${o.fn}${placed(o.where)} v${o.version} published`, blocks };
}
