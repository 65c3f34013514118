/**
 * Issue 9, item 1: forged input against the bot as a process. 1,000 requests with missing, wrong,
 * stale or future signatures, replays with changed fields, oversized bodies and signed but
 * malformed payloads, most of them carrying a write: every one refused (401/400/413), nothing
 * changed in AWS, nothing audited, nothing said in Slack, the process up. Then correctly signed
 * clicks with tampered values: each refused, told to the clicker, and audited as denied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { auditExport } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendClick } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';
import { type Forged, forgedRequests } from './forged-requests.js';

const CONCURRENCY = 16;
let world: World;
let rolloutId: string;
let approvalId: string;
/** The rollout's progress message, which the bot refreshes on its own while the rollout runs. */
let progressTs: string;

interface AwsState {
  readonly history: unknown[];
  readonly writes: number;
}

async function awsState(): Promise<AwsState> {
  const history = await world.control<unknown[]>('GET', '/_emulator/alias-history');
  const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
  const writes = Object.entries(calls)
    .filter(([op]) => /UpdateAlias|PublishVersion|CreateAlias|DeleteAlias|UpdateFunction/.test(op))
    .reduce((sum, [, n]) => sum + n, 0);
  return { history, writes };
}

async function until<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Sends one forged request; its status, or `reset` when the bot closed the connection on it. */
async function send(forged: Forged): Promise<number | 'reset'> {
  const body = typeof forged.body === 'string' ? forged.body : forged.body();
  try {
    const response = await fetch(`${world.bot.url}/slack/events`, {
      method: 'POST',
      headers: forged.headers,
      body,
      signal: AbortSignal.timeout(20_000),
      ...(typeof forged.body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`${forged.category}: no answer in 20 s`);
    return 'reset';
  }
}

beforeAll(async () => {
  world = await startWorld({ policy: TEST_POLICY.replace('approval_ttl: 30m', 'approval_ttl: 1s') });
  // A live rollout and an approval request (expired by the sweeper): real IDs for forged buttons.
  const canary = await world.command('canary payments-api:staging 4 --steps 10,100 --every 1h');
  expect(textOf(await canary.response())).toMatch(/Rollout of \*payments-api:staging\* started/);
  const progress = await until('the progress message', async () =>
    world.slack.messages.find((m) => m.text.startsWith('Rollout of payments-api:staging')),
  );
  progressTs = progress.ts;
  rolloutId = /"value":"(o[a-z2-9]{16})"/.exec(JSON.stringify(progress.blocks))?.[1] as string;
  await (await world.command('promote payments-api:prod 4')).response();
  const request = await until('the approval request', async () =>
    world.slack.messages.find((m) => m.channel === 'C0APPROVALS'),
  );
  approvalId = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(request.blocks))?.[1] as string;
  expect(rolloutId).toBeDefined();
  expect(approvalId).toBeDefined();
  await until('the approval to expire', async () =>
    (await auditExport(world.prefix)).find((r) => r.action === 'approval.expire'),
  );
});

afterAll(async () => {
  await world?.close();
});

describe('forged requests', () => {
  it('1,000 forged requests are all refused, change nothing, and the bot stays up', async () => {
    const responses = world.slack.newResponseUrl();
    const forged = forgedRequests({ secret: SIGNING_SECRET, responseUrl: responses.url, rolloutId, approvalId });
    expect(forged).toHaveLength(1000);
    const aws = await awsState();
    const audited = (await auditExport(world.prefix)).length;
    const said = { calls: world.slack.calls.length, responses: world.slack.responses.length };
    const ownRefresh = (c: { method: string; args: Record<string, unknown> }) =>
      c.method === 'chat.update' && c.args.ts === progressTs;

    const started = performance.now();
    const results: Array<{ forged: Forged; status: number | 'reset'; ms: number }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < forged.length; i = next++) {
          const t = performance.now();
          const f = forged[i] as Forged;
          results.push({ forged: f, status: await send(f), ms: performance.now() - t });
        }
      }),
    );
    const elapsed = performance.now() - started;

    const wrong = results.filter(
      (r) => r.status !== r.forged.expected && !(r.forged.expected === 413 && r.status === 'reset'),
    );
    expect(wrong.map((r) => `${r.forged.category}: ${r.status}`)).toEqual([]);
    expect(await awsState()).toEqual(aws);
    expect((await auditExport(world.prefix)).length).toBe(audited);
    const newCalls = world.slack.calls.slice(said.calls).filter((c) => !ownRefresh(c));
    expect(newCalls.map((c) => c.method)).toEqual([]);
    expect(world.slack.responses.length).toBe(said.responses);
    expect((await fetch(`${world.bot.url}/healthz`)).status).toBe(200);
    expect(world.bot.child.exitCode).toBeNull();
    expect(world.bot.logs.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);

    const by = new Map<string, { n: number; statuses: Set<string>; slowest: number }>();
    for (const r of results) {
      const entry = by.get(r.forged.category) ?? { n: 0, statuses: new Set(), slowest: 0 };
      entry.n++;
      entry.statuses.add(String(r.status));
      entry.slowest = Math.max(entry.slowest, r.ms);
      by.set(r.forged.category, entry);
    }
    console.log(
      `[forged-input] ${results.length} forged requests refused in ${(elapsed / 1000).toFixed(1)} s ` +
        `(${CONCURRENCY} at a time); 0 AWS writes, 0 audit records, 0 Slack calls`,
    );
    for (const [category, e] of by) {
      console.log(`  ${category}: ${e.n} → ${[...e.statuses].join('/')}, slowest ${Math.round(e.slowest)} ms`);
    }
  });

  it('an unsigned SSL check that smuggles a promote is answered 200 and runs nothing', async () => {
    // Slack's SSL check is the one body the guard lets through unsigned, and Bolt's own signature
    // check is off (the guard is the only one): Bolt must answer it without dispatching anything.
    const responses = world.slack.newResponseUrl();
    const aws = await awsState();
    const audited = (await auditExport(world.prefix)).length;
    const said = world.slack.responses.length;
    // Dispatched or not is read from the bot's own counter: a listener counts a command at its ack,
    // before the later work that would show in AWS, so this check cannot race that work.
    const commands = async () =>
      (await (await fetch(`${world.bot.url}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('lambda_bot_slack_requests_total{') && l.includes('type="command"'))
        .join('\n');
    const counted = await commands();
    expect(counted).toMatch(/name="promote"/);
    const body = new URLSearchParams({
      ssl_check: '1',
      token: 'x',
      command: '/lambda',
      text: 'promote payments-api:staging 2',
      user_id: 'U0ALICE',
      channel_id: 'C0DEPLOY',
      response_url: responses.url,
    }).toString();
    const response = await fetch(`${world.bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(await commands()).toBe(counted);
    expect(await awsState()).toEqual(aws);
    expect((await auditExport(world.prefix)).length).toBe(audited);
    expect(world.slack.responses.length).toBe(said);
  });
});

describe('tampered buttons on correctly signed clicks', () => {
  it('another request’s ID, garbage or an unknown action: refused, told, audited as denied', async () => {
    const aws = await awsState();
    const before = (await auditExport(world.prefix)).length;
    const clicks: Array<[action: string, value: string]> = [
      ['approval.approve', rolloutId],
      ['approval.reject', rolloutId],
      ['rollout.promote', approvalId],
      ['rollout.abort', approvalId],
      ['rollout.pause', approvalId],
      ['alarm.rollback', approvalId],
      ['alarm.ack', rolloutId],
      ['rollout.promote', ''],
      ['rollout.promote', 'garbage'],
      ['rollout.promote', `o${'z'.repeat(16)}`],
      ['approval.approve', `a${'z'.repeat(16)}`],
      ['rollout.abort', `${rolloutId} `],
      ['rollout.abort', rolloutId.toUpperCase()],
      ['approval.approve', '../../*'],
      ['alarm.rollback', '{"alert":"x"}'],
      ['alarm.rollback', '🚀\u0000\u202e'],
      ['rollout.promote', 'o'.repeat(300)],
      ['approval.nuke', approvalId],
      ['deploy.now', rolloutId],
    ];
    const started = performance.now();
    const replies = await Promise.all(
      clicks.map(async ([action_id, value], i) => {
        const user = `U0TAMPER${i}`;
        const r = world.slack.newResponseUrl();
        const ack = await sendClick(world.bot.url, SIGNING_SECRET, {
          action_id,
          value,
          user_id: user,
          response_url: r.url,
        });
        expect(ack.status).toBe(200);
        return { user, reply: await world.slack.waitForResponse(r.id) };
      }),
    );
    const elapsed = performance.now() - started;
    for (const { reply } of replies) {
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(/no such (approval request|rollout)|names no alert|unknown action|malformed/);
    }
    const records = await until('the refusals on the audit log', async () => {
      const all = (await auditExport(world.prefix)).slice(before);
      return all.length >= clicks.length ? all : undefined;
    });
    expect(records).toHaveLength(clicks.length);
    for (const { user } of replies) {
      const mine = records.filter((r: AuditRecord) => r.actor === user);
      expect(mine.map((r) => [r.action, r.result])).toEqual([['denied', 'denied']]);
    }
    expect(await awsState()).toEqual(aws);
    console.log(
      `[forged-input] ${clicks.length} tampered clicks refused, told and audited in ${Math.round(elapsed)} ms; ` +
        `e.g. "${textOf(replies[0]?.reply ?? {}).split('\n')[0]}"`,
    );
  });

  it('a click on an expired approval request is refused, says it expired, and is audited', async () => {
    const aws = await awsState();
    const r = world.slack.newResponseUrl();
    const ack = await sendClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'approval.approve',
      value: approvalId,
      user_id: 'U0CAROL',
      response_url: r.url,
    });
    expect(ack.status).toBe(200);
    expect(textOf(await world.slack.waitForResponse(r.id))).toMatch(/changed nothing: it expired/);
    const denied = await until('the refusal on the audit log', async () =>
      (await auditExport(world.prefix)).find((x) => x.actor === 'U0CAROL' && x.result === 'denied'),
    );
    expect(denied.action).toBe('approval.approve');
    expect(await awsState()).toEqual(aws);
  });
});

describe('after the attack', () => {
  it('the process is up and a correctly signed command still deploys', async () => {
    expect((await fetch(`${world.bot.url}/healthz`)).status).toBe(200);
    const reply = await (await world.command('promote orders-api:prod 2')).response();
    expect(reply.response_type).toBe('in_channel');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });
    const promoted = (await auditExport(world.prefix)).filter((r) => r.action === 'promote' && r.result === 'ok');
    expect(promoted.map((r) => r.actor)).toEqual(['U0ALICE']);
  });
});
