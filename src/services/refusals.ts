import type { Click } from '../domain/actions.js';
import { BotError } from '../domain/errors.js';
import type { AuditLog } from '../ports.js';

/**
 * A button whose value is not an ID the bot issued for this kind of thing (forged, garbage, or
 * long gone): refused and audited, since a tampered click is worth knowing about.
 */
export async function refuseUnknownButton(audit: AuditLog, click: Click, what: string): Promise<never> {
  await audit.append({
    actor: click.actor,
    action: 'denied',
    function: null,
    alias: null,
    from: null,
    to: null,
    result: 'denied',
    detail: `${click.action} with an unknown ${what} ID`,
    request: click.requestId,
  });
  throw new BotError('unknown-button', `no such ${what}`);
}
