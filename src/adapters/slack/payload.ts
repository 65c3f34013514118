/**
 * What a request to POST /slack/events must look like before Bolt sees it. Bolt dispatches any
 * body that parses: `payload=null` crashed the process (Bolt reads `body.ssl_check` of null), a
 * click without a user failed with a 500, and a body of no known shape held its connection for
 * 3 seconds before a 404. Here the body is decoded once, the way Bolt decodes it, and refused
 * with a reason unless it has the fields the bot's listeners read.
 */
import { parse } from 'node:querystring';

export type SlackPayloadKind = 'ssl-check' | 'command' | 'block-actions' | 'event' | 'url-verification';

export type DecodedPayload =
  | { readonly ok: true; readonly kind: SlackPayloadKind }
  | { readonly ok: false; readonly problem: string };

const FORM = 'application/x-www-form-urlencoded';
/** Fields of a slash command the command listener reads, each sent once by Slack. */
const COMMAND_FIELDS = ['command', 'text', 'user_id', 'channel_id', 'response_url'] as const;
/** Events API envelopes Slack sends; anything else has no listener. */
const ENVELOPES = new Set(['event_callback', 'url_verification', 'app_rate_limited']);

/**
 * Decodes a body as Bolt's HTTPReceiver will (form fields when the content type is exactly the
 * form type, a `payload=` field as JSON, JSON otherwise) and checks its shape. Never throws.
 * @example decodeSlackPayload('application/json', '{"type":"url_verification","challenge":"x"}')
 *   // → { ok: true, kind: 'url-verification' }
 */
export function decodeSlackPayload(contentType: string | undefined, body: string): DecodedPayload {
  if (contentType !== FORM) return decodeEnvelope(parseJson(body));
  const fields = parse(body);
  if (fields.ssl_check === '1') return { ok: true, kind: 'ssl-check' };
  const payload = fields.payload;
  if (payload !== undefined) {
    if (typeof payload !== 'string') return refuse('payload is given more than once');
    return decodeInteraction(parseJson(payload));
  }
  for (const name of COMMAND_FIELDS) {
    const value = fields[name];
    if (typeof value !== 'string') return refuse(`${name} is ${value === undefined ? 'missing' : 'repeated'}`);
    if (value.length === 0 && name !== 'text') return refuse(`${name} is empty`);
  }
  if (!(fields.command as string).startsWith('/')) return refuse('command is not a slash command');
  return { ok: true, kind: 'command' };
}

function decodeInteraction(parsed: unknown): DecodedPayload {
  if (!isRecord(parsed)) return refuse('payload is not a JSON object');
  if (parsed.type !== 'block_actions') return refuse(`interaction type ${describe(parsed.type)} is not handled`);
  if (!isRecord(parsed.user) || !isId(parsed.user.id)) return refuse('block_actions without user.id');
  // A click on the Home tab comes from a view: no channel, no message, no response_url.
  const fromView = isRecord(parsed.container) && parsed.container.type === 'view';
  if (fromView) {
    if (!isRecord(parsed.view) || !isId(parsed.view.id)) return refuse('block_actions from a view without view.id');
  } else if (typeof parsed.response_url !== 'string' || parsed.response_url.length === 0) {
    return refuse('block_actions without response_url');
  }
  const { actions } = parsed;
  if (!Array.isArray(actions) || actions.length === 0) return refuse('block_actions without actions');
  for (const action of actions) {
    if (!isRecord(action) || typeof action.action_id !== 'string' || typeof action.type !== 'string') {
      return refuse('an action without action_id or type');
    }
    if (action.value !== undefined && typeof action.value !== 'string') return refuse('an action value is no string');
  }
  for (const field of ['channel', 'container', 'message', 'view'] as const) {
    if (parsed[field] !== undefined && !isRecord(parsed[field])) return refuse(`${field} is not an object`);
  }
  return { ok: true, kind: 'block-actions' };
}

function decodeEnvelope(parsed: unknown): DecodedPayload {
  if (!isRecord(parsed)) return refuse('body is not a JSON object');
  const { type } = parsed;
  if (typeof type !== 'string' || !ENVELOPES.has(type)) return refuse(`event envelope ${describe(type)} is unknown`);
  if (type === 'url_verification') {
    return typeof parsed.challenge === 'string' ? { ok: true, kind: 'url-verification' } : refuse('no challenge');
  }
  if (type === 'event_callback' && !(isRecord(parsed.event) && typeof parsed.event.type === 'string')) {
    return refuse('event_callback without event.type');
  }
  return { ok: true, kind: 'event' };
}

/** The parsed JSON, or undefined when the text is not JSON (which no check below accepts). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/** A type named in a refusal: clipped and printable, since it came from whoever sent the body. */
function describe(value: unknown): string {
  if (value === undefined) return 'absent';
  if (typeof value !== 'string') return `of type ${typeof value}`;
  return `"${value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}"`;
}

function refuse(problem: string): DecodedPayload {
  return { ok: false, problem };
}
