/**
 * The App Home tab (CONTRACT §12) as a Block Kit view: Waiting for you, In flight, Fleet, Last
 * changes. It never holds more than Slack's 100 blocks: each section has a cap, and the fleet gets
 * what is left, most relevant aliases first, then a line saying how many more and where to look.
 */
import type { types } from '@slack/bolt';
import { type HomeFacts, selectFleet } from '../../../domain/home.js';
import { context, section } from '../message.js';
import { clamp, escapeMrkdwn } from '../mrkdwn.js';
import { when } from './format.js';
import { aliasBlock, decideBlocks, flightBlocks, LIMITS, mineLine, placeBlock, reviewBlocks } from './home-parts.js';
import { historyLine } from './reads.js';

type Block = types.KnownBlock;

export interface HomeView {
  readonly type: 'home';
  readonly blocks: Block[];
}

/** At most this many of each kind of item; more are counted in a line (the channel message has them all). */
export const CAPS = { decide: 8, review: 4, mine: 10, flights: 8 } as const;

/** Blocks kept back for Last changes (divider, header, one section) while the fleet takes the rest. */
const LAST_CHANGES_BLOCKS = 3;

export function renderHome(facts: HomeFacts): HomeView {
  const blocks: Block[] = [
    header('Lambda release console'),
    context(`As of ${when(facts.at)} · \`/lambda help\` for every command · \`/lambda status FN\` for one function`),
  ];
  // The notice is mrkdwn from the adapter's own renderers, which escaped what came from users already.
  if (facts.notice) blocks.push(section(clamp(facts.notice, LIMITS.sectionText)));
  if (facts.problems.length) {
    const shown = facts.problems.slice(0, LIMITS.contextElements);
    blocks.push({
      type: 'context',
      elements: shown.map((p) => ({ type: 'mrkdwn', text: clamp(`:warning: ${escapeMrkdwn(p)}`, LIMITS.contextText) })),
    });
  }
  blocks.push(...waiting(facts), ...inFlight(facts));
  const budget = LIMITS.blocks - blocks.length - LAST_CHANGES_BLOCKS;
  blocks.push(...fleet(facts, budget), ...lastChanges(facts));
  // The caps above keep the view within the limit; this is the guarantee if they ever stop doing so.
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocks) };
}

function waiting(facts: HomeFacts): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, header('Waiting for you')];
  for (const r of facts.toDecide.slice(0, CAPS.decide)) blocks.push(...decideBlocks(r));
  const moreDecide = facts.toDecide.length - CAPS.decide;
  if (moreDecide > 0) blocks.push(context(`…and ${moreDecide} more approval requests in the approvals channel.`));
  for (const g of facts.toReview.slice(0, CAPS.review)) blocks.push(...reviewBlocks(g));
  const moreReview = facts.toReview.length - CAPS.review;
  if (moreReview > 0) blocks.push(context(`…and ${moreReview} more break-glass changes to review.`));
  if (facts.mine.length) {
    const lines = facts.mine.slice(0, CAPS.mine).map(mineLine);
    if (facts.mine.length > CAPS.mine) lines.push(`…and ${facts.mine.length - CAPS.mine} more of yours.`);
    blocks.push(section(clamp(`*Waiting for others*\n${lines.join('\n')}`, LIMITS.sectionText)));
  }
  if (facts.toDecide.length + facts.toReview.length + facts.mine.length === 0) {
    blocks.push(context('Nothing waits for you.'));
  }
  return blocks;
}

function inFlight(facts: HomeFacts): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, header('In flight')];
  for (const item of facts.inFlight.slice(0, CAPS.flights)) blocks.push(...flightBlocks(item));
  const more = facts.inFlight.length - CAPS.flights;
  if (more > 0) blocks.push(context(`…and ${more} more rollouts: \`/lambda status FN\` shows each.`));
  if (facts.inFlight.length === 0) blocks.push(context('No rollout under way.'));
  return blocks;
}

/**
 * Every alias that fits in `budget` blocks (each group of an account and region costs one more),
 * most relevant first; the rest are counted, with the command that shows them.
 */
function fleet(facts: HomeFacts, budget: number): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, header('Fleet')];
  const room = budget - blocks.length;
  const now = new Date(facts.at);
  if (facts.fleet.length === 0) return [...blocks, context('The policy file names no aliases.')];
  let limit = Math.min(facts.fleet.length, room);
  let selection = selectFleet(facts.fleet, limit, now);
  // Each group heading and the "more" line take a block of their own: shrink until everything fits.
  while (limit > 0 && limit + selection.groups.length + (selection.hidden > 0 ? 1 : 0) > room) {
    limit--;
    selection = selectFleet(facts.fleet, limit, now);
  }
  for (const group of selection.groups) {
    blocks.push(placeBlock(group.where), ...group.aliases.map(aliasBlock));
  }
  if (selection.hidden > 0) {
    const fns = selection.hiddenFunctions.slice(0, 5).map((fn) => `\`/lambda status ${escapeMrkdwn(fn)}\``);
    const etc = selection.hiddenFunctions.length > 5 ? ', …' : '';
    blocks.push(
      context(
        clamp(
          `…and ${selection.hidden} more alias${selection.hidden === 1 ? '' : 'es'}, less eventful: ${fns.join(', ')}${etc}`,
          LIMITS.contextText,
        ),
      ),
    );
  }
  return blocks;
}

function lastChanges(facts: HomeFacts): Block[] {
  const blocks: Block[] = [{ type: 'divider' }, header('Last changes')];
  if (facts.changes.length === 0) return [...blocks, context('No changes recorded yet.')];
  const lines = facts.changes.map((r) =>
    historyLine(r, r.function ? escapeMrkdwn(r.alias ? `${r.function}:${r.alias}` : r.function) : ''),
  );
  // Whole lines only: a line cut in half could break a date or mention token.
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > LIMITS.sectionText) break;
    kept.push(line);
    length += line.length + 1;
  }
  return [...blocks, section(kept.length ? kept.join('\n') : clamp(lines[0] ?? '', LIMITS.sectionText))];
}

function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: clamp(text, LIMITS.header) } };
}
