import { describeRouting, type Routing, splitText } from '../../../domain/routing.js';
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

export function target(fn: string, alias?: string): string {
  return `*${escapeMrkdwn(alias ? `${fn}:${alias}` : fn)}*`;
}
