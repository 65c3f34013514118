/**
 * The 1,000 forged requests of the forged-input test: wrong, missing, stale and future
 * signatures, replays of a signed body with changed fields, oversized bodies and signed but
 * malformed payloads. Most carry a command or click that WOULD change AWS if it were accepted.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { clickBody, commandBody, sign } from '../support/slack-requests.js';

export type Expected = 401 | 400 | 413;

export interface Forged {
  readonly category: string;
  readonly expected: Expected;
  readonly body: string | (() => ReadableStream<Uint8Array>);
  readonly headers: Record<string, string>;
}

export interface Targets {
  readonly secret: string;
  /** Where replies would go if anything were accepted (a fake Slack response_url). */
  readonly responseUrl: string;
  /** A live rollout's ID, so that forged rollout buttons name something real. */
  readonly rolloutId: string;
  readonly approvalId: string;
}

const FORM = 'application/x-www-form-urlencoded';
const WRITES = [
  'promote orders-api:prod 2',
  'shift orders-api:prod 3 50',
  'rollback payments-api:staging 1',
  'canary orders-api:prod 3 AllAtOnce',
  'publish orders-api forged',
  'abort payments-api:staging',
  'freeze orders-api forged',
];

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Deterministic variety: the i-th of a list, round and round. */
function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

function signed(secret: string, body: string, timestamp = now(), contentType = FORM): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': sign(secret, body, timestamp),
  };
}

/** A body that would change AWS if accepted: a write command or a rollout/approval click. */
function dangerous(t: Targets, i: number): string {
  if (i % 3 === 2) {
    const [action_id, value] = pick(
      [
        ['rollout.promote', t.rolloutId],
        ['rollout.abort', t.rolloutId],
        ['approval.approve', t.approvalId],
      ],
      i,
    ) as [string, string];
    return clickBody({ action_id, value, user_id: 'U0CAROL', response_url: t.responseUrl });
  }
  return commandBody({ text: pick(WRITES, i), user_id: 'U0ALICE', response_url: t.responseUrl });
}

function malformedBodies(t: Targets): Array<{ body: string; type?: string }> {
  const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
  const command = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const cmd = { command: '/lambda', text: 'promote orders-api:prod 2', user_id: 'U0ALICE', channel_id: 'C0DEPLOY' };
  const button = { type: 'button', action_id: 'rollout.promote', value: t.rolloutId };
  const user = { id: 'U0ALICE' };
  return [
    { body: '%%%&&==%zz&&%E0%A4%A' },
    { body: '' },
    { body: 'payload=not-json{' },
    { body: 'payload=null' },
    { body: 'payload=42' },
    { body: `payload=${encodeURIComponent('[1,2,3]')}` },
    { body: `${payload({ type: 'block_actions' })}&payload=x` },
    { body: payload({}) },
    { body: payload({ type: 'block_actions', user, response_url: t.responseUrl }) },
    { body: payload({ type: 'block_actions', user, response_url: t.responseUrl, actions: 'x' }) },
    { body: payload({ type: 'block_actions', user, response_url: t.responseUrl, actions: [null] }) },
    { body: payload({ type: 'block_actions', actions: [button], response_url: t.responseUrl }) },
    { body: payload({ type: 'block_actions', user: { id: 7 }, actions: [button], response_url: t.responseUrl }) },
    { body: payload({ type: 'block_actions', user, actions: [button] }) },
    {
      body: payload({ type: 'block_actions', user, actions: [{ ...button, value: 42 }], response_url: t.responseUrl }),
    },
    { body: payload({ type: 'view_submission', user, view: {} }) },
    { body: payload({ type: 'shortcut', user, callback_id: 'x' }) },
    { body: command({ ...cmd }) },
    { body: command({ ...cmd, response_url: t.responseUrl, user_id: '' }) },
    { body: command({ command: '/lambda', text: 'promote orders-api:prod 2', response_url: t.responseUrl }) },
    { body: `${command({ ...cmd, response_url: t.responseUrl })}&text=status` },
    { body: command({ ...cmd, command: 'lambda', response_url: t.responseUrl }) },
    { body: JSON.stringify({ ...cmd, response_url: t.responseUrl }) },
    { body: commandBody({ text: 'promote orders-api:prod 2', response_url: t.responseUrl }), type: `${FORM}; x=1` },
    { body: 'null', type: 'application/json' },
    { body: '[]', type: 'application/json' },
    { body: '{"type":', type: 'application/json' },
    { body: JSON.stringify({ type: 'block_actions', user, actions: [button] }), type: 'application/json' },
    { body: JSON.stringify({ type: 'event_callback' }), type: 'application/json' },
    { body: JSON.stringify({ type: 'event_callback', event: { type: 7 } }), type: 'application/json' },
    { body: JSON.stringify({ type: 'url_verification' }), type: 'application/json' },
  ];
}

function oversized(t: Targets, i: number): Forged {
  const sizes = [300 * 1024, 1024 * 1024, 2 * 1024 * 1024, 5 * 1024 * 1024];
  if (i % 5 === 4) {
    // No Content-Length: the bot must stop reading at its limit, not buffer 64 MB.
    let sent = 0;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 64 * 1024;
          if (sent > 64 * 1024 * 1024) controller.close();
          else controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        },
      });
    return { category: 'oversized (streamed)', expected: 413, body: stream, headers: signed(t.secret, '') };
  }
  const body = `${commandBody({ text: 'promote orders-api:prod 2', response_url: t.responseUrl })}&pad=${'x'.repeat(pick(sizes, i))}`;
  return { category: 'oversized', expected: 413, body, headers: signed(t.secret, body) };
}

/** Exactly 1,000 forged requests, in a fixed order of categories. */
export function forgedRequests(t: Targets): Forged[] {
  const out: Forged[] = [];
  const add = (n: number, make: (i: number) => Omit<Forged, 'expected'> & { expected?: Expected }) => {
    for (let i = 0; i < n; i++) out.push({ expected: 401, ...make(i) });
  };
  add(100, (i) => ({ category: 'unsigned', body: dangerous(t, i), headers: { 'content-type': FORM } }));
  add(50, (i) => {
    const body = dangerous(t, i);
    const { 'x-slack-signature': s, 'x-slack-request-timestamp': ts, ...rest } = signed(t.secret, body);
    return {
      category: 'half-signed',
      body,
      headers:
        i % 2 ? { ...rest, 'x-slack-signature': s as string } : { ...rest, 'x-slack-request-timestamp': ts as string },
    };
  });
  add(300, (i) => {
    const body = dangerous(t, i);
    const headers = signed(t.secret, body);
    const real = headers['x-slack-signature'] as string;
    const wrong = [
      `v0=${randomBytes(32).toString('hex')}`,
      sign(`${t.secret}x`, body, now()),
      sign('', body, now()),
      real.replace('v0=', 'v1='),
      'v0=',
      real.toUpperCase(),
      real.slice(0, -1),
      `${real}0`,
      `v0=${createHmac('sha1', t.secret).update(`v0:${now()}:${body}`).digest('hex')}`,
      `${real}, ${real}`,
    ];
    return { category: 'wrong signature', body, headers: { ...headers, 'x-slack-signature': pick(wrong, i) } };
  });
  add(50, (i) => {
    const body = dangerous(t, i);
    const timestamp = pick(['abc', '', '1e9', '-5', ` ${now()}`, `${now()}.5`, '0x10', '99999999999999'], i);
    const signature = `v0=${createHmac('sha256', t.secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return {
      category: 'malformed timestamp',
      body,
      headers: { 'content-type': FORM, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
    };
  });
  add(100, (i) => {
    const body = dangerous(t, i);
    return { category: 'stale (signed > 5 min ago)', body, headers: signed(t.secret, body, now() - 360 - i * 97) };
  });
  add(50, (i) => {
    const body = dangerous(t, i);
    return { category: 'future (signed > 5 min ahead)', body, headers: signed(t.secret, body, now() + 360 + i * 97) };
  });
  add(150, (i) => {
    // Slack signed body A; the attacker sends body B with A's headers.
    const harmless = commandBody({ text: 'status orders-api', user_id: 'U0ALICE', response_url: t.responseUrl });
    const a = pick([harmless, dangerous(t, i + 1)], i);
    const headers = signed(t.secret, a);
    const b = pick(
      [
        dangerous(t, i),
        a.replace('U0ALICE', 'U0BOB'),
        a.replace(/text=[^&]*/, 'text=promote+orders-api%3Aprod+3'),
        `${a}&text=promote+orders-api%3Aprod+3`,
        `${a} `,
        a.replace(t.rolloutId, t.approvalId),
      ],
      i,
    );
    // A body replayed unchanged under a new timestamp is a changed request too.
    if (b === a)
      return {
        category: 'replayed, fields changed',
        body: a,
        headers: { ...headers, 'x-slack-request-timestamp': String(now() + 1) },
      };
    return { category: 'replayed, fields changed', body: b, headers };
  });
  add(25, (i) => oversized(t, i));
  const malformed = malformedBodies(t);
  add(175, (i) => {
    const { body, type } = pick(malformed, i);
    return {
      category: 'malformed, correctly signed',
      expected: 400,
      body,
      headers: signed(t.secret, body, now(), type ?? FORM),
    };
  });
  return out;
}
