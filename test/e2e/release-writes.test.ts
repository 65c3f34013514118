import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  world.slack.usergroups.set('S0DEPLOY', ['U0DAVE']);
});

afterAll(async () => {
  await world?.close();
});

async function recordsOf(request: string) {
  return (await auditExport(world.prefix)).filter((r) => r.request === request);
}

/** The request ID the bot used, from the audit records of the newest matching action. */
async function lastRequest(action: string): Promise<string> {
  const records = await auditExport(world.prefix);
  const last = records.filter((r) => r.action === action).at(-1);
  if (!last) throw new Error(`no ${action} record`);
  return last.request;
}

describe('promote', () => {
  it('moves the alias, announces before → after in the channel, and audits intent then outcome', async () => {
    const { ack, response } = await world.command('promote orders-api:prod 2');
    expect(ack.status).toBe(200);
    const reply = await response();
    expect(reply.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('100% v1 → 100% v2');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });

    const records = await recordsOf(await lastRequest('promote'));
    expect(records.map((r) => [r.action, r.result])).toEqual([
      ['promote', 'pending'],
      ['promote', 'ok'],
    ]);
    expect(records[1]).toMatchObject({
      actor: 'U0ALICE',
      function: 'orders-api',
      alias: 'prod',
      from: { version: '1', weights: { '1': 1 } },
      to: { version: '2', weights: { '2': 1 } },
    });
  });

  it('refuses a version that does not exist, changing nothing', async () => {
    const { response } = await world.command('promote orders-api:prod 99');
    const reply = await response();
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/has no version 99.*Nothing was changed/);
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });
  });

  it('says when the alias already serves that version', async () => {
    const reply = await (await world.command('promote orders-api:prod 2')).response();
    expect(textOf(reply)).toMatch(/already sends 100% to v2/);
  });
});

describe('shift', () => {
  it('sends P% to V and the rest to the current primary', async () => {
    const reply = await (await world.command('shift payments-api:staging 4 12.5')).response();
    expect(reply.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('87.5% v3 · 12.5% v4');
    expect(await world.routing('payments-api', 'staging')).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.125 },
    });
  });

  it('0% clears the routing', async () => {
    await (await world.command('shift payments-api:staging 4 0')).response();
    expect(await world.routing('payments-api', 'staging')).toEqual({ primary: '3' });
  });

  it('100% is a promote', async () => {
    await (await world.command('shift payments-api:staging 4 30')).response();
    await (await world.command('shift payments-api:staging 4 100')).response();
    expect(await world.routing('payments-api', 'staging')).toEqual({ primary: '4' });
  });
});

describe('rollback', () => {
  it('by default goes back to the version served before the last change, even mid-shift', async () => {
    await (await world.command('shift payments-api:staging 2 20')).response();
    const reply = await (await world.command('rollback payments-api:staging --reason error rate up')).response();
    expect(reply.response_type).toBe('in_channel');
    expect(textOf(reply)).toContain('error rate up');
    expect(await world.routing('payments-api', 'staging')).toEqual({ primary: '4' });
  });

  it('goes to an explicit version', async () => {
    await (await world.command('rollback payments-api:staging 1')).response();
    expect(await world.routing('payments-api', 'staging')).toEqual({ primary: '1' });
  });

  it('without history asks for the version', async () => {
    const reply = await (await world.command('rollback orders-api:prod', 'U0ONCALL')).response();
    // orders-api:prod has one change (1 → 2): rollback goes to v1; a second rollback toggles back.
    expect(textOf(reply)).toContain('100% v2 → 100% v1');
    const fresh = await startWorld();
    try {
      const none = await (await fresh.command('rollback orders-api:prod')).response();
      expect(textOf(none)).toMatch(/no earlier change.*rollback orders-api:prod V/);
      expect(await fresh.routing('orders-api', 'prod')).toEqual({ primary: '1' });
    } finally {
      await fresh.close();
    }
  });
});

describe('policy', () => {
  it('a protected alias turns promote into an approval request; nothing changes yet', async () => {
    const reply = await (await world.command('promote payments-api:prod 4')).response();
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/protected, so your promote to v4 waits for approval/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });
  });

  it('someone without the role is refused, and it is audited', async () => {
    const reply = await (await world.command('promote payments-api:staging 2', 'U0CAROL')).response();
    expect(textOf(reply)).toMatch(/only deployers may promote/);
    const denied = (await auditExport(world.prefix)).filter((r) => r.result === 'denied' && r.actor === 'U0CAROL');
    expect(denied).toHaveLength(1);
  });

  it('a member of a Slack user group named in a role gets the role', async () => {
    const reply = await (await world.command('shift payments-api:staging 2 5', 'U0DAVE')).response();
    expect(reply.response_type).toBe('in_channel');
    expect(world.slack.callsTo('usergroups.users.list').some((c) => c.args.usergroup === 'S0DEPLOY')).toBe(true);
    await (await world.command('shift payments-api:staging 2 0', 'U0DAVE')).response();
  });

  it('a function missing from the policy file is refused for every write', async () => {
    const reply = await (await world.command('publish unknown-fn')).response();
    expect(textOf(reply)).toMatch(/not in the policy file/);
  });

  it('break-glass: a responder rolls back a protected alias directly', async () => {
    const reply = await (
      await world.command('rollback payments-api:prod 2 --reason p99 doubled', 'U0ONCALL')
    ).response();
    expect(reply.response_type).toBe('in_channel');
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '2' });
  });
});

describe('drift', () => {
  it('says when the alias was changed outside the bot, in the answer and the audit record', async () => {
    await world.lambda.send(new UpdateAliasCommand({ FunctionName: 'orders-api', Name: 'prod', FunctionVersion: '3' }));
    const reply = await (await world.command('promote orders-api:prod 2')).response();
    expect(textOf(reply)).toMatch(/Changed outside the bot/);
    expect(textOf(reply)).toContain('100% v3 → 100% v2');
    const records = await recordsOf(await lastRequest('promote'));
    expect(records.at(-1)).toMatchObject({ result: 'ok', detail: expect.stringMatching(/changed outside the bot/) });
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });
  });
});

describe('the audit chain', () => {
  it('verifies after all of the above', async () => {
    const { code, out } = await auditVerify(world.prefix);
    expect(out).toMatch(/audit chain OK/);
    expect(code).toBe(0);
    const reply = await (await world.command('audit verify', 'U0CAROL')).response();
    expect(textOf(reply)).toMatch(/Audit chain OK/);
  });
});
