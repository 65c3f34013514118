import { describe, expect, it } from 'vitest';
import { decodeSlackPayload } from '../../../src/adapters/slack/payload.js';
import { verifySignature } from '../../../src/adapters/slack/request-guard.js';
import { clickBody, commandBody, homeClickBody, sign } from '../../support/slack-requests.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;

describe('decodeSlackPayload', () => {
  it('accepts what Slack sends: a slash command, a click, an event, a URL check, an SSL check', () => {
    expect(decodeSlackPayload(FORM, commandBody({ text: 'promote fn:prod 3' }))).toEqual({ ok: true, kind: 'command' });
    expect(decodeSlackPayload(FORM, commandBody({ text: '' }))).toEqual({ ok: true, kind: 'command' });
    expect(decodeSlackPayload(FORM, clickBody({ action_id: 'rollout.abort', value: 'o1' }))).toEqual({
      ok: true,
      kind: 'block-actions',
    });
    const event = { type: 'event_callback', event: { type: 'app_home_opened', user: 'U1' } };
    expect(decodeSlackPayload(JSON_TYPE, JSON.stringify(event))).toEqual({ ok: true, kind: 'event' });
    expect(decodeSlackPayload(JSON_TYPE, '{"type":"url_verification","challenge":"c"}')).toEqual({
      ok: true,
      kind: 'url-verification',
    });
    expect(decodeSlackPayload(FORM, 'ssl_check=1&token=x')).toEqual({ ok: true, kind: 'ssl-check' });
  });

  it('accepts a click on the Home tab: a view container, no channel and no response_url', () => {
    expect(decodeSlackPayload(FORM, homeClickBody({ action_id: 'approval.approve', value: 'a1' }))).toEqual({
      ok: true,
      kind: 'block-actions',
    });
  });

  it.each([
    [payload({ type: 'block_actions', user: { id: 'U1' }, container: { type: 'view' }, actions: [] }), /view.id/],
    [
      payload({ type: 'block_actions', user: { id: 'U1' }, container: { type: 'view' }, view: 'V1', actions: [] }),
      /view.id/,
    ],
    [
      payload({
        type: 'block_actions',
        user: { id: 'U1' },
        container: { type: 'message' },
        actions: [{ type: 'button', action_id: 'x' }],
      }),
      /without response_url/,
    ],
    [
      payload({
        type: 'block_actions',
        user: { id: 'U1' },
        container: { type: 'view' },
        view: { id: 'V1' },
        actions: [{ type: 'button', action_id: 'x', value: 3 }],
      }),
      /value is no string/,
    ],
  ])('refuses a malformed click from a view: %s', (body, problem) => {
    const decoded = decodeSlackPayload(FORM, body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(problem);
  });

  it.each([
    ['payload=null', FORM, /not a JSON object/],
    ['payload=%7B', FORM, /not a JSON object/],
    ['payload=1&payload=2', FORM, /more than once/],
    [payload({ type: 'view_submission', user: { id: 'U1' } }), FORM, /"view_submission" is not handled/],
    [payload({ type: 'block_actions', actions: [{ type: 'button', action_id: 'x' }] }), FORM, /user.id/],
    [payload({ type: 'block_actions', user: { id: 'U1' }, response_url: 'u', actions: [] }), FORM, /actions/],
    [
      payload({ type: 'block_actions', user: { id: 'U1' }, response_url: 'u', actions: [{ action_id: 'x' }] }),
      FORM,
      /action_id or type/,
    ],
    ['command=%2Flambda&user_id=U1&channel_id=C1&response_url=u', FORM, /text is missing/],
    ['command=%2Flambda&text=a&text=b&user_id=U1&channel_id=C1&response_url=u', FORM, /text is repeated/],
    ['command=lambda&text=a&user_id=U1&channel_id=C1&response_url=u', FORM, /not a slash command/],
    ['%%%&&==', FORM, /command is missing/],
    ['null', JSON_TYPE, /not a JSON object/],
    ['{"type":"block_actions"}', JSON_TYPE, /"block_actions" is unknown/],
    ['{"type":"event_callback"}', JSON_TYPE, /without event.type/],
    [commandBody({ text: 'help' }), `${FORM}; charset=utf-8`, /not a JSON object/],
  ])('refuses %s (%s)', (body, type, problem) => {
    const decoded = decodeSlackPayload(type, body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(problem);
  });
});

describe('verifySignature', () => {
  const secret = 's3cret';
  const body = commandBody({ text: 'help' });
  const at = 1_800_000_000;
  const headers = (timestamp: number | string, signature = sign(secret, body, Number(timestamp))) => ({
    headers: { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
  });

  it('accepts Slack’s signature within five minutes either way', () => {
    expect(verifySignature(secret, headers(at), body, at * 1000)).toBeUndefined();
    expect(verifySignature(secret, headers(at - 299), body, at * 1000)).toBeUndefined();
    expect(verifySignature(secret, headers(at + 299), body, at * 1000)).toBeUndefined();
  });

  it('refuses a stale or future timestamp, a wrong or missing signature, another body', () => {
    expect(verifySignature(secret, headers(at - 301), body, at * 1000)).toMatch(/window/);
    expect(verifySignature(secret, headers(at + 301), body, at * 1000)).toMatch(/window/);
    expect(verifySignature(secret, headers(at, sign('other', body, at)), body, at * 1000)).toMatch(/wrong/);
    expect(verifySignature(secret, headers(at), `${body}&x=1`, at * 1000)).toMatch(/wrong/);
    expect(verifySignature(secret, headers('1e9'), body, at * 1000)).toMatch(/malformed/);
    expect(verifySignature(secret, { headers: {} }, body, at * 1000)).toMatch(/no signature/);
  });
});
