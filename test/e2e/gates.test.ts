/**
 * Promotion gates end to end (CONTRACT §11): the bot as a process, its clock moved by the test,
 * payments-api:prod gated on staging (5-minute soak, signed by Release/abcdef1234, same code).
 * v5 is signed and has v4's code; staging is moved to v5 by the bot, which starts the soak. One
 * world; the tests run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostedMessage } from '../support/fake-slack.js';
import { type GlassWorld, SOAK_MS, startGlassWorld } from '../support/glass-world.js';
import { textOf } from '../support/world.js';

const MINUTE = 60_000;
let world: GlassWorld;

beforeAll(async () => {
  world = await startGlassWorld();
  expect(textOf(await world.say('promote payments-api:staging 5'))).toMatch(/promoted/);
}, 60_000);

afterAll(async () => {
  await world?.close();
});

/** The UpdateAlias writes of an alias, by anyone, as the emulator saw them. */
async function aliasWrites(alias: string): Promise<string[]> {
  const history = await world.control<{ operation: string; functionVersion: string }[]>(
    'GET',
    `/_emulator/alias-history?function=payments-api&alias=${alias}`,
  );
  return history.filter((h) => h.operation === 'UpdateAlias').map((h) => h.functionVersion);
}

/** Asks for prod at v5 as Alice; the approval request posted for approvers. */
async function requestProd(): Promise<{ message: PostedMessage; id: string }> {
  const before = world.slack.messages.length;
  expect(textOf(await world.say('promote payments-api:prod 5'))).toMatch(/waits for approval by approvers/);
  const message = await world.slack
    .waitForCall('chat.postMessage', () => world.slack.messages.slice(before).some((m) => m.channel === 'C0APPROVALS'))
    .then(() => world.slack.messages.slice(before).find((m) => m.channel === 'C0APPROVALS') as PostedMessage);
  const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(message.blocks))?.[1] as string;
  return { message, id };
}

async function ended(message: PostedMessage, status: RegExp): Promise<string> {
  await world.slack.waitForCall(
    'chat.update',
    (c) => c.args.ts === message.ts && status.test(JSON.stringify(c.args.blocks)),
  );
  return textOf(message as unknown as Record<string, unknown>);
}

describe('a version that has not passed the gates', () => {
  it('is refused with every gate and its fact; nothing changes in AWS', async () => {
    world.clock.advance(2 * MINUTE);
    const soaking = textOf(await world.say('promote payments-api:prod 5'));
    expect(soaking).toContain('payments-api:prod takes only versions that passed its gates; v5 has not.');
    expect(soaking).toContain(':x: *soak*: served staging 100% for 2 of 5 min');
    expect(soaking).toContain(':white_check_mark: *signed by*: signed by Release/abcdef1234');
    expect(soaking).toMatch(/:white_check_mark: \*same code\*: same code as staging \(v5, [A-Za-z0-9+/]{10}\)/);
    expect(soaking).toContain('--break-glass REASON');

    const v2 = textOf(await world.say('promote payments-api:prod 2'));
    expect(v2).toContain(':x: *soak*: staging serves 100% v5, not 100% v2');
    expect(v2).toContain(':x: *signed by*: v2 is not signed');
    expect(v2).toMatch(/:x: \*same code\*: code \S{10} differs from staging \(v5, \S{10}\)/);

    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });
    expect(await aliasWrites('prod')).toEqual([]);
  });

  it('the refusals are in the audit export and in history as denied; status shows the candidate', async () => {
    const denied = (await world.audit()).filter((r) => r.action === 'promote' && r.alias === 'prod');
    expect(denied.map((r) => [r.actor, r.result, r.to])).toEqual([
      ['U0ALICE', 'denied', null],
      ['U0ALICE', 'denied', null],
    ]);
    expect(denied[0]?.detail).toBe(
      'v5 has not passed the gates of payments-api:prod: served staging 100% for 2 of 5 min',
    );
    expect(denied[1]?.detail).toMatch(/^v2 has not passed the gates of payments-api:prod: staging serves 100% v5/);
    const history = textOf(await world.say('history payments-api:prod'));
    expect(history.match(/\*promote\* _denied_/g)).toHaveLength(2);
    const status = textOf(await world.say('status payments-api:prod'));
    expect(status).toContain('*Gates of prod* for candidate v5 (what staging serves): does not pass yet');
  });
});

describe('once soaked', () => {
  it('promote opens an approval request that shows the checklist; prod waits', async () => {
    world.clock.advance(SOAK_MS - 2 * MINUTE);
    const { message } = await requestProd();
    const shown = textOf(message as unknown as Record<string, unknown>);
    expect(shown).toContain('Approval needed: promote payments-api:prod to v5');
    expect(shown).toContain('*Gates* (checked when requested)');
    expect(shown).toContain(':white_check_mark: *soak*: served staging 100% for 5 of 5 min');
    expect(shown).toContain(':white_check_mark: *signed by*: signed by Release/abcdef1234');
    expect(shown).toContain(':white_check_mark: *same code*: same code as staging (v5');
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });
  });

  it('staging moved on before the approval: the request fails, the gates no longer met; prod unchanged', async () => {
    const { message, id } = await requestProd();
    expect(textOf(await world.say('promote payments-api:staging 4'))).toMatch(/promoted/);
    const approve = await world.click('approval.approve', id, 'U0BOB', message);
    expect(approve.ack.status).toBe(200);
    expect(textOf(await approve.reply())).toMatch(/gates are no longer met/);
    const shown = await ended(message, /Failed/);
    expect(shown).toContain(':x: *Failed*');
    expect(shown).toContain('the gates are no longer met: staging serves 100% v4, not 100% v5');
    // v4 has v5's code: only the soak changed its verdict.
    expect(shown).toContain(':warning: *Gates changed* since the request (soak: now not met)');
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });
    expect(await aliasWrites('prod')).toEqual([]);
  });

  it('back on staging for a whole soak again: approved, checked again, applied', async () => {
    expect(textOf(await world.say('promote payments-api:staging 5'))).toMatch(/promoted/);
    world.clock.advance(SOAK_MS);
    const { message, id } = await requestProd();
    const approve = await world.click('approval.approve', id, 'U0CAROL', message);
    expect(textOf(await approve.reply())).toMatch(/You approved: the change is applied/);
    const shown = await ended(message, /Applied/);
    expect(shown).toContain('*Gates checked again* at the last approval');
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '5' });
    expect(await aliasWrites('prod')).toEqual(['5']);
    const applied = (await world.audit()).filter((r) => r.action === 'promote' && r.alias === 'prod');
    expect(applied.slice(-2).map((r) => [r.actor, r.result, r.to?.version])).toEqual([
      ['U0ALICE', 'pending', '5'],
      ['U0ALICE', 'ok', '5'],
    ]);
  });
});
