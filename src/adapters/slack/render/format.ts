import { describeRouting, type Routing, splitText } from '../../../domain/routing.js';
import type { Where } from '../../../domain/target.js';
import { escapeMrkdwn } from '../mrkdwn.js';

/** A Slack user mention, or the bot itself for automatic actions. */
export function person(actor: string): string {
  return /^[UW][A-Z0-9]+$/.test(actor) ? `<@${actor}>` : actor === 'system' ? 'the bot' : escapeMrkdwn(actor);
}

/** A timestamp shown in each reader's own time zone, with the ISO text as fallback. */
export function when(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

/** The bar and split in code style, so the bar's cells line up. */
export function bar(routing: Routing): string {
  return `\`${describeRouting(routing)}\``;
}

export function split(routing: Routing): string {
  return splitText(routing);
}

/** `*payments-api:prod*`, with its account and region when it is not in the bot's own (CONTRACT §9). */
export function target(fn: string, alias?: string, where?: Where): string {
  return `*${escapeMrkdwn(alias ? `${fn}:${alias}` : fn)}*${escapeMrkdwn(placed(where))}`;
}

/** ` (prod/eu-west-1)` after a name in plain text, or nothing for the bot's own account and region. */
export function placed(where: Where | undefined): string {
  return where && !where.home ? ` (${where.account}/${where.region})` : '';
}

/** The account and region in full: `account prod (222222222222), eu-west-1`. */
export function place(where: Where): string {
  const account = where.account === 'own' ? "the bot's own account" : `account ${where.account}`;
  return escapeMrkdwn(`${account}${where.accountId ? ` (${where.accountId})` : ''}, ${where.region}`);
}
