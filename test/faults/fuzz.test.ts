/**
 * Issue 9, item 6: fuzzing the command parser and the payload decoders with fast-check,
 * 1,000,000 random and mutated inputs in all. Nothing may throw, no input may take long
 * (a per-input budget of 1 s, a hang detector, not a speed claim), and no input may parse
 * into a write unless its first word is literally that verb.
 */
import { HTTPModuleFunctions } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../commands/index.js';
import { decodeSlackPayload } from '../../src/adapters/slack/payload.js';
import { ACTION_IDS, checkClick } from '../../src/domain/actions.js';
import { clickBody, commandBody, homeClickBody } from '../support/slack-requests.js';
import { mutated, VALID_COMMANDS } from './mutations.js';

/** Inputs per target at the default scale; FAULTS_SCALE=large multiplies them by 5. */
const SCALE = process.env.FAULTS_SCALE === 'large' ? 5 : 1;
const RUNS = { parser: 500_000 * SCALE, payloads: 350_000 * SCALE, clicks: 150_000 * SCALE };
const HANG_MS = 1000;
const WRITES = new Set([
  'publish',
  'promote',
  'shift',
  'canary',
  'pause',
  'resume',
  'abort',
  'rollback',
  'freeze',
  'unfreeze',
]);

/** Runs `f` on every input of `arbitrary`, timing each call; fails on a throw or a hang. */
function fuzz<T>(arbitrary: fc.Arbitrary<T>, runs: number, f: (input: T) => void): { slowestMs: number; ms: number } {
  let slowestMs = 0;
  const started = performance.now();
  fc.assert(
    fc.property(arbitrary, (input) => {
      const t = performance.now();
      f(input);
      const ms = performance.now() - t;
      if (ms > slowestMs) slowestMs = ms;
      if (ms > HANG_MS) throw new Error(`${ms.toFixed(0)} ms on one input`);
    }),
    { numRuns: runs },
  );
  return { slowestMs, ms: performance.now() - started };
}

/** A cheap check for hot loops (expect() per input would dominate the run). */
function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

/** A write parsed from `text` must be the verb its first word names. */
function writeOnlyIfLiteral(text: string): ReturnType<typeof parseCommand> {
  const parsed = parseCommand(text);
  if (parsed.ok && WRITES.has(parsed.command.verb)) {
    check(firstWord(text) === parsed.command.verb, () => `${JSON.stringify(text)} parsed as ${parsed.command.verb}`);
  }
  if (!parsed.ok) check(typeof parsed.problem === 'string' && parsed.problem.length > 0, () => 'no problem given');
  return parsed;
}

function report(what: string, runs: number, r: { slowestMs: number; ms: number }): void {
  console.log(
    `[fuzz] ${what}: ${runs.toLocaleString('en')} inputs in ${(r.ms / 1000).toFixed(1)} s, ` +
      `slowest ${r.slowestMs.toFixed(2)} ms, no throw`,
  );
}

/** The first word as typed: leading blanks skipped, quotes dropped, case folded. */
function firstWord(text: string): string {
  return (text.replace(/^\s+/u, '').split(/\s/u)[0] ?? '').replace(/["'\u2018\u2019\u201C\u201D]/gu, '').toLowerCase();
}

const noise = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...' \t\n"\'“”‘’:-_=&;<>/%$0123456789abcdefpromtesiflvn'), maxLength: 120 }),
  fc
    .array(
      fc.constantFrom(...WRITES, 'status', 'help', 'fn:prod', 'v3', '--steps', '--every', '--bake', '--judge', '42'),
      {
        maxLength: 8,
      },
    )
    .map((w) => w.join(' ')),
);

describe('the command parser', () => {
  it(`never throws or hangs, and never turns a mutation into a write it does not start with`, () => {
    const half = RUNS.parser / 2;
    const run = (text: string) => void writeOnlyIfLiteral(text);
    const random = fuzz(noise, half, run);
    report('parseCommand, random text', half, random);
    const mutants = fuzz(mutated(fc.constantFrom(...VALID_COMMANDS)), half, run);
    report('parseCommand, mutated commands', half, mutants);
    // Long text: refused by length, not parsed slowly.
    const long = fuzz(fc.string({ minLength: 3000, maxLength: 6000 }), 2000, run);
    report('parseCommand, 3,000–6,000 characters', 2000, long);
  });

  it('a mutated verb is never read as another write (typos give usage, never a deploy)', () => {
    let suggestions = 0;
    const r = fuzz(
      mutated(fc.constantFrom(...VALID_COMMANDS.filter((c) => WRITES.has(c.split(' ')[0] as string))), 'verb'),
      50_000,
      (text) => {
        const parsed = writeOnlyIfLiteral(text);
        if (!parsed.ok && parsed.suggestion) suggestions++;
      },
    );
    report('parseCommand, verb mutations', 50_000, r);
    expect(suggestions).toBeGreaterThan(0);
  });
});

const FORM = 'application/x-www-form-urlencoded';
const VALID_BODIES = [
  commandBody({ text: 'promote payments-api:prod 42', response_url: 'https://hooks.slack.test/r/1' }),
  commandBody({ text: 'canary orders-api:prod 3 --steps 10,50,100 --every 5m --judge' }),
  clickBody({ action_id: 'approval.approve', value: 'aabcdefghijkmnpqr' }),
  clickBody({ action_id: 'rollout.promote', value: 'oabcdefghijkmnpqr' }),
  homeClickBody({ action_id: 'approval.approve', value: 'aabcdefghijkmnpqr' }),
  JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U0ALICE' } }),
  JSON.stringify({ type: 'url_verification', challenge: 'abc' }),
  'ssl_check=1&token=x',
];

describe('the payload decoders', () => {
  it('decodeSlackPayload never throws or hangs, on random and mutated bodies of either type', () => {
    const type = fc.constantFrom(FORM, 'application/json', `${FORM}; charset=utf-8`, '', 'text/plain');
    const body = fc.oneof(
      noise,
      mutated(fc.constantFrom(...VALID_BODIES)),
      fc.json().map((j) => `payload=${encodeURIComponent(j)}`),
      fc.json(),
      fc
        .dictionary(fc.constantFrom('command', 'text', 'user_id', 'channel_id', 'response_url', 'payload'), fc.string())
        .map((d) => new URLSearchParams(d).toString()),
    );
    let accepted = 0;
    const r = fuzz(fc.tuple(type, body), RUNS.payloads, ([t, b]) => {
      const decoded = decodeSlackPayload(t, b);
      if (decoded.ok) {
        accepted++;
        // What the guard lets through, Bolt must read as an object (payload=null once crashed the bot).
        const req = { rawBody: Buffer.from(b), headers: { 'content-type': t } };
        const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req as never);
        check(typeof body === 'object' && body !== null, () => `Bolt reads ${JSON.stringify(b)} as ${String(body)}`);
      } else check(decoded.problem.length > 0, () => 'no problem given');
    });
    report(`decodeSlackPayload (${accepted.toLocaleString('en')} accepted)`, RUNS.payloads, r);
  });

  it('checkClick never throws, and accepts only the bot’s actions with a short string value', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constant(undefined),
      fc.integer(),
      fc.constantFrom({}, [], null, true, { id: 'o1' }),
    );
    const action = fc.oneof(fc.constantFrom(...ACTION_IDS), fc.string({ maxLength: 30 }), fc.constant(null));
    const r = fuzz(fc.tuple(action, value), RUNS.clicks, ([a, v]) => {
      const checked = checkClick(a, v);
      if (checked.ok) {
        check((ACTION_IDS as readonly string[]).includes(checked.action), () => `accepted ${String(a)}`);
        check(typeof v === 'string' && v.length <= 200, () => `accepted value ${JSON.stringify(v)}`);
      }
    });
    report('checkClick', RUNS.clicks, r);
  });
});
