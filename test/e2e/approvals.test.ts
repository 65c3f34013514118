import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendClick } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

/** Asks for a change on the protected alias and returns the request message posted for approvers. */
async function request(
  text: string,
  user = 'U0ALICE',
): Promise<{ message: PostedMessage; id: string; reply: Record<string, unknown> }> {
  const before = world.slack.messages.length;
  const { response } = await world.command(text, user);
  const reply = await response();
  await world.slack.waitForCall('chat.postMessage', () => world.slack.messages.length > before);
  const message = world.slack.messages.slice(before).find((m) => m.channel === 'C0APPROVALS') as PostedMessage;
  const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(message.blocks))?.[1] as string;
  return { message, id, reply };
}

function click(message: PostedMessage, id: string, user: string, action = 'approval.approve', url = world.bot.url) {
  const r = world.slack.newResponseUrl();
  const sent = sendClick(url, SIGNING_SECRET, {
    action_id: action,
    value: id,
    user_id: user,
    channel_id: message.channel,
    message_ts: message.ts,
    response_url: r.url,
  });
  return { sent, reply: (match?: (b: Record<string, unknown>) => boolean) => world.slack.waitForResponse(r.id, match) };
}

async function updated(message: PostedMessage, status: RegExp): Promise<string> {
  await world.slack.waitForCall(
    'chat.update',
    (c) => c.args.ts === message.ts && status.test(JSON.stringify(c.args.blocks)),
  );
  return textOf(message as unknown as Record<string, unknown>);
}

describe('four-eyes approval of a protected alias', () => {
  it('a request is posted with the change, and the requester is told to wait, with a link', async () => {
    const { message, id, reply } = await request('promote payments-api:prod 4');
    expect(id).toBeDefined();
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/waits for approval by approvers.*https:\/\/fake\.slack\.test/);
    const text = textOf(message as unknown as Record<string, unknown>);
    expect(text).toMatch(/Approval needed: promote payments-api:prod to v4/);
    expect(text).toContain('██████████ 100% v3');
    expect(text).toContain('release 4 of payments-api');
    expect(text).toMatch(/"action_id":"approval.approve".*"style":"primary".*"confirm"/);
    expect(text).toMatch(/"action_id":"approval.reject".*"style":"danger"/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });
  });

  it('the requester cannot approve their own request, and a non-approver is refused; both audited', async () => {
    const { message, id } = await request('promote payments-api:prod 4', 'U0BOB');
    const own = click(message, id, 'U0BOB');
    expect((await own.sent).status).toBe(200);
    expect(textOf(await own.reply())).toMatch(/someone else must approve/);
    const stranger = click(message, id, 'U0ONCALL');
    expect(textOf(await stranger.reply())).toMatch(/only approvers may approve/);
    const denied = (await auditExport(world.prefix)).filter(
      (r) => r.result === 'denied' && r.action === 'approval.approve',
    );
    expect(denied.map((r) => r.actor).sort()).toEqual(['U0BOB', 'U0ONCALL']);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '3' });

    const approve = click(message, id, 'U0CAROL');
    expect(textOf(await approve.reply())).toMatch(/You approved: the change is applied/);
    expect(await updated(message, /Applied/)).toMatch(/Approved by <@U0CAROL>/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '4' });
  });

  it('20 concurrent clicks on Approve across two replicas apply the change once', async () => {
    const replica = await world.startReplica();
    const { message, id } = await request('shift payments-api:prod 2 10');
    const clicks = Array.from({ length: 20 }, (_, i) =>
      click(message, id, 'U0CAROL', 'approval.approve', i % 2 ? replica.url : world.bot.url),
    );
    await Promise.all(clicks.map((c) => c.sent));
    const replies = await Promise.all(clicks.map((c) => c.reply()));
    expect(replies.filter((r) => /the change is applied/.test(textOf(r)))).toHaveLength(1);
    expect(replies.filter((r) => /changed nothing/.test(textOf(r)))).toHaveLength(19);
    expect(await world.routing('payments-api', 'prod')).toEqual({
      primary: '4',
      additional: { version: '2', weight: 0.1 },
    });
    const history = await world.control<{ operation: string }[]>(
      'GET',
      '/_emulator/alias-history?function=payments-api&alias=prod',
    );
    expect(history.filter((h) => h.operation === 'UpdateAlias')).toHaveLength(2);
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
  });

  it('an alias changed between request and approval makes it stale: nothing applied', async () => {
    const { message, id } = await request('promote payments-api:prod 3');
    await world.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'payments-api',
        Name: 'prod',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    const approve = click(message, id, 'U0CAROL');
    expect(textOf(await approve.reply())).toMatch(/went stale/);
    expect(await updated(message, /Not applied/)).toMatch(/alias changed since the request/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '1' });
  });

  it('a rejected request changes nothing, and a later click is told why', async () => {
    const { message, id } = await request('promote payments-api:prod 3');
    const reject = click(message, id, 'U0BOB', 'approval.reject');
    expect(textOf(await reject.reply())).toMatch(/You rejected/);
    expect(await updated(message, /Rejected/)).toMatch(/Rejected\* by <@U0BOB>/);
    const late = click(message, id, 'U0CAROL');
    expect(textOf(await late.reply())).toMatch(/changed nothing: it was already rejected/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '1' });
  });

  it('a forged button value is refused and audited', async () => {
    const { message } = await request('promote payments-api:prod 2');
    const forged = click(message, 'aaaaaaaaaaaaaaaaa', 'U0CAROL');
    expect(textOf(await forged.reply())).toMatch(/not one the bot knows/);
    const denied = (await auditExport(world.prefix)).filter((r) => r.action === 'denied');
    expect(denied.at(-1)).toMatchObject({ actor: 'U0CAROL', result: 'denied' });
  });

  it('every decision is in the audit export with its actor', async () => {
    const records = await auditExport(world.prefix, ['--function', 'payments-api']);
    const seen = new Set(records.map((r) => `${r.action}:${r.result}:${r.actor}`));
    for (const expected of [
      'approval.request:ok:U0ALICE',
      'approval.approve:ok:U0CAROL',
      'approval.reject:ok:U0BOB',
      'promote:ok:U0BOB',
      'shift:ok:U0ALICE',
    ]) {
      expect(seen).toContain(expected);
    }
  });
});

describe('expiry', () => {
  it('a click after approval_ttl is refused, the request expired and its message updated', async () => {
    const short = await startWorld({ policy: TEST_POLICY.replace('approval_ttl: 30m', 'approval_ttl: 1s') });
    try {
      const before = short.slack.messages.length;
      await (await short.command('promote payments-api:prod 4')).response();
      await short.slack.waitForCall('chat.postMessage', () => short.slack.messages.length > before);
      const message = short.slack.messages.find((m) => m.channel === 'C0APPROVALS') as PostedMessage;
      // Past the deadline, whether or not the sweeper has run yet: the click itself must refuse.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(message.blocks))?.[1] as string;
      const r = short.slack.newResponseUrl();
      await sendClick(short.bot.url, SIGNING_SECRET, {
        action_id: 'approval.approve',
        value: id,
        user_id: 'U0CAROL',
        response_url: r.url,
      });
      expect(textOf(await short.slack.waitForResponse(r.id))).toMatch(/changed nothing: it expired/);
      await short.slack.waitForCall(
        'chat.update',
        (c) => c.args.ts === message.ts && /Expired/.test(JSON.stringify(c.args.blocks)),
      );
      expect(await short.routing('payments-api', 'prod')).toEqual({ primary: '3' });
      const expired = (await auditExport(short.prefix)).filter((r) => r.action === 'approval.expire');
      expect(expired).toHaveLength(1);
      expect(expired[0]?.actor).toBe('system');
    } finally {
      await short.close();
    }
  });
});

describe('freezes', () => {
  it('freeze blocks promote, shows in status, leaves rollback; unfreeze lifts it', async () => {
    const frozen = await (await world.command('freeze payments-api:staging release train, back Monday')).response();
    expect(frozen.response_type).toBe('in_channel');
    const refused = await (await world.command('promote payments-api:staging 2')).response();
    expect(textOf(refused)).toMatch(/frozen: release train.*unfreeze/);
    expect(textOf(await (await world.command('status payments-api')).response())).toMatch(
      /staging is frozen\* by <@U0ALICE>/,
    );
    const rollback = await (await world.command('rollback payments-api:staging 1', 'U0ONCALL')).response();
    expect(rollback.response_type).toBe('in_channel');
    await (await world.command('unfreeze payments-api:staging')).response();
    const promoted = await (await world.command('promote payments-api:staging 2')).response();
    expect(promoted.response_type).toBe('in_channel');
  });
});
