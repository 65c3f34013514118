/**
 * Duplicates and races across two bot processes on one Redis prefix and one emulator: duplicate
 * approval clicks apply each request once, and two promotes of one alias at once leave exactly one
 * winner, the loser told. The audit chain verifies afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import type { SeedFunction } from '../support/aws-world.js';
import { type BotProcess, SIGNING_SECRET } from '../support/bot-process.js';
import { sendClick, sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
/** Approval requests, each on its own protected alias (approving one must not make the others stale). */
const REQUESTS = LARGE ? 50 : 20;
const CLICKS = LARGE ? 5_000 : 1_000;
/** Aliases raced by two promotes at once, spread over a few functions. */
const RACED = 100;
const RACE_FUNCTIONS = 4;
/** Clicks or commands in flight at once. */
const IN_FLIGHT = 50;

const pad = (n: number) => String(n).padStart(3, '0');
const protectedAliases = Array.from({ length: REQUESTS }, (_, i) => `r${pad(i)}`);
const racedAliases = Array.from({ length: RACED }, (_, i) => ({
  fn: `race-${i % RACE_FUNCTIONS}`,
  alias: `a${pad(i)}`,
}));

/**
 * Slack takes about one message a second per channel, and the bot paces its posts so: each alias
 * has its own approvals channel and each request is asked from its own channel, so that the
 * requests and their announcements go out in parallel instead of queueing for a minute.
 */
const approvalsChannel = (alias: string) => `C0APPR${alias.toUpperCase()}`;
const requestChannel = (alias: string) => `C0DEPL${alias.toUpperCase()}`;

function policy(): string {
  const lines = [
    'channels:',
    '  approvals: C0APPROVALS',
    '  alerts: C0ALERTS',
    'approval_ttl: 30m',
    'alarm_poll_interval: 30s',
    'roles:',
    '  deployers: [U0ALICE, U0BOB]',
    '  approvers: [U0BOB, U0CAROL]',
    '  responders: []',
    'functions:',
    '  dup-api:',
    '    aliases:',
    ...protectedAliases.flatMap((a) => [
      `      ${a}:`,
      '        protected: true',
      '        required_approvals: 1',
      '        approvers: [approvers]',
      `        approvals_channel: ${approvalsChannel(a)}`,
    ]),
  ];
  for (let f = 0; f < RACE_FUNCTIONS; f++) {
    lines.push(`  race-${f}:`, '    aliases:');
    for (const r of racedAliases.filter((r) => r.fn === `race-${f}`)) lines.push(`      ${r.alias}: {}`);
  }
  return `${lines.join('\n')}\n`;
}

function functions(): SeedFunction[] {
  const dup: SeedFunction = {
    name: 'dup-api',
    versions: 2,
    aliases: Object.fromEntries(protectedAliases.map((a) => [a, '1'])),
  };
  const raced = Array.from({ length: RACE_FUNCTIONS }, (_, f) => ({
    name: `race-${f}`,
    versions: 3,
    aliases: Object.fromEntries(racedAliases.filter((r) => r.fn === `race-${f}`).map((r) => [r.alias, '1'])),
  }));
  return [dup, ...raced];
}

let world: World;
let replica: BotProcess;

beforeAll(async () => {
  world = await startWorld({ policy: policy(), functions: functions() });
  replica = await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface Change {
  readonly operation: string;
  readonly functionVersion: string;
  readonly routing: Record<string, number>;
}

function history(fn: string, alias: string): Promise<Change[]> {
  return world.control<Change[]>('GET', `/_emulator/alias-history?function=${fn}&alias=${alias}`);
}

const updatesOf = (changes: Change[]) => changes.filter((c) => c.operation === 'UpdateAlias');

describe('duplicate clicks across two processes', () => {
  it(`${CLICKS} approve clicks on ${REQUESTS} requests, alternating processes: each request applied once`, async () => {
    const asking = Date.now();
    await pool(protectedAliases, IN_FLIGHT, async (alias) => {
      const r = world.slack.newResponseUrl();
      const ack = await sendCommand(world.bot.url, SIGNING_SECRET, {
        text: `promote dup-api:${alias} 2`,
        channel_id: requestChannel(alias),
        response_url: r.url,
      });
      expect(ack.status).toBe(200);
      expect(textOf(await world.slack.waitForResponse(r.id, () => true, 60_000))).toMatch(/waits for approval/);
    });
    const ids = new Map<string, { id: string; ts: string; channel: string }>();
    for (const m of world.slack.messages.filter((m) => m.channel.startsWith('C0APPR'))) {
      const text = JSON.stringify(m.blocks);
      const id = /request `(a[a-z2-9]{16})`/.exec(text)?.[1];
      const alias = /dup-api:(r\d{3})/.exec(text)?.[1];
      if (id && alias) ids.set(alias, { id, ts: m.ts, channel: m.channel });
    }
    expect(ids.size).toBe(REQUESTS);
    console.info(`[duplicates] ${REQUESTS} requests asked in ${((Date.now() - asking) / 1000).toFixed(1)} s`);

    // Click i goes to request i mod REQUESTS, on process ⌊i / REQUESTS⌋ mod 2: every request gets
    // its duplicates on both processes; the order is shuffled so duplicates land interleaved.
    const clicks = shuffled(
      Array.from({ length: CLICKS }, (_, i) => ({
        alias: protectedAliases[i % REQUESTS] as string,
        url: Math.floor(i / REQUESTS) % 2 === 0 ? world.bot.url : replica.url,
      })),
    );
    const started = Date.now();
    const replies = await pool(clicks, IN_FLIGHT, async (click) => {
      const target = ids.get(click.alias) as { id: string; ts: string; channel: string };
      const r = world.slack.newResponseUrl();
      const sent = await sendClick(click.url, SIGNING_SECRET, {
        action_id: 'approval.approve',
        value: target.id,
        user_id: 'U0CAROL',
        channel_id: target.channel,
        message_ts: target.ts,
        response_url: r.url,
      });
      expect(sent.status).toBe(200);
      return { alias: click.alias, text: textOf(await world.slack.waitForResponse(r.id, () => true, 120_000)) };
    });
    const seconds = (Date.now() - started) / 1000;

    const applied = replies.filter((r) => /the change is applied/.test(r.text));
    const refused = replies.filter((r) => /changed nothing/.test(r.text));
    expect(new Set(applied.map((r) => r.alias)).size).toBe(REQUESTS);
    expect(applied).toHaveLength(REQUESTS);
    expect(refused).toHaveLength(CLICKS - REQUESTS);

    for (const alias of protectedAliases) {
      const updates = updatesOf(await history('dup-api', alias));
      expect(updates, alias).toHaveLength(1);
      expect(updates[0]).toMatchObject({ functionVersion: '2', routing: {} });
    }

    const records = await auditExport(world.prefix, ['--function', 'dup-api']);
    const count = (action: string, result: AuditRecord['result']) => {
      const per = new Map<string, number>();
      for (const r of records.filter((r) => r.action === action && r.result === result))
        per.set(r.alias ?? '', (per.get(r.alias ?? '') ?? 0) + 1);
      return per;
    };
    const approvals = count('approval.approve', 'ok');
    const promotes = count('promote', 'ok');
    for (const alias of protectedAliases) {
      expect(approvals.get(alias), `approval.approve ok of ${alias}`).toBe(1);
      expect(promotes.get(alias), `promote ok of ${alias}`).toBe(1);
    }
    const denied = [...count('approval.approve', 'denied').values()].reduce((a, b) => a + b, 0);
    expect(denied).toBe(CLICKS - REQUESTS);
    console.info(
      `[duplicates] ${CLICKS} clicks on ${REQUESTS} requests over 2 processes in ${seconds.toFixed(1)} s: ` +
        `${applied.length} applied, ${refused.length} told "changed nothing", ${denied} denied records, ` +
        `1 UpdateAlias per alias`,
    );
  });
});

describe('two processes racing promote', () => {
  it(`${RACED} aliases, two promotes each at once: one winner per alias, the loser told`, async () => {
    // UpdateAlias takes 1.5 s, so the two promotes of an alias surely overlap even on a busy
    // machine: the race is what is tested, not which command the scheduler happened to run first.
    await world.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'UpdateAlias', latencyMs: 1500, latencyProbability: 1 }],
    });
    const started = Date.now();
    const contenders = racedAliases.flatMap((r) => [
      { ...r, version: '2', user: 'U0ALICE', url: world.bot.url },
      { ...r, version: '3', user: 'U0BOB', url: replica.url },
    ]);
    const replies = await pool(contenders, 2 * IN_FLIGHT, async (c) => {
      const r = world.slack.newResponseUrl();
      const ack = await sendCommand(c.url, SIGNING_SECRET, {
        text: `promote ${c.fn}:${c.alias} ${c.version}`,
        user_id: c.user,
        response_url: r.url,
      });
      expect(ack.status).toBe(200);
      const body = await world.slack.waitForResponse(r.id, () => true, 60_000);
      return { ...c, type: body.response_type, text: textOf(body) };
    });
    const seconds = (Date.now() - started) / 1000;
    await world.control('DELETE', '/_emulator/faults');

    let busy = 0;
    for (const { fn, alias } of racedAliases) {
      const both = replies.filter((r) => r.fn === fn && r.alias === alias);
      const winners = both.filter((r) => r.type === 'in_channel');
      const losers = both.filter((r) => r.type !== 'in_channel');
      expect(winners, `${fn}:${alias}`).toHaveLength(1);
      expect(losers, `${fn}:${alias}`).toHaveLength(1);
      const loser = (losers[0] as { text: string }).text;
      expect(loser).toMatch(/is being changed by another request|changed while this was being applied/);
      expect(loser).toMatch(/Nothing was changed|nothing was changed/i);
      if (/being changed by another request/.test(loser)) busy++;
      const updates = updatesOf(await history(fn, alias));
      expect(updates, `${fn}:${alias}`).toHaveLength(1);
      expect(updates[0]?.functionVersion).toBe(winners[0]?.version);
    }
    const records = (await auditExport(world.prefix)).filter((r) => r.function?.startsWith('race-'));
    const okPromotes = records.filter((r) => r.action === 'promote' && r.result === 'ok');
    expect(okPromotes).toHaveLength(RACED);
    expect(new Set(okPromotes.map((r) => `${r.function}:${r.alias}`)).size).toBe(RACED);
    const wins = (url: string) => replies.filter((r) => r.type === 'in_channel' && r.url === url).length;
    console.info(
      `[races] ${RACED} aliases × 2 promotes in ${seconds.toFixed(1)} s: ${RACED} winners ` +
        `(${wins(world.bot.url)} on one process, ${wins(replica.url)} on the other), ${RACED} losers told ` +
        `(${busy} "being changed by another request"), 1 UpdateAlias per alias`,
    );
  });

  it('the audit chain verifies afterwards', async () => {
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
    console.info(`[duplicates] audit verify: ${out.trim()}`);
  });
});
