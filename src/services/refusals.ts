import type { Click } from '../domain/actions.js';
import { BotError } from '../domain/errors.js';
import type { AuditLog } from '../ports.js';

/**
 * A button whose value is not an ID the bot issued for this kind of thing (forged, garbage, or
 * long gone): refused and audited, since a tampered click is worth knowing about. The record shows
 * the value clipped and printable only: it came from whoever sent the click.
 */
export async function refuseUnknownButton(
  audit: AuditLog,
  click: Click,
  what: string,
  why = `no such ${what}`,
): Promise<never> {
  const shown = click.value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
  await audit.append({
    actor: click.actor,
    action: 'denied',
    function: null,
    alias: null,
    from: null,
    to: null,
    result: 'denied',
    detail: `${click.action}: no ${what} has the ID "${shown}"`,
    request: click.requestId,
  });
  throw new BotError('unknown-button', why);
}
