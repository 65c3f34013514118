/**
 * Crashes: the bot runs as two replicas on one Redis prefix and one emulator; the leader of the
 * rollout stepper is SIGKILLed at random points of running rollouts (at a random moment, with an
 * UpdateAlias in flight, or right after one landed) and started again each time. Every rollout must
 * complete with each of its steps applied exactly once, in order, as the emulator's alias history
 * shows.
 *
 * Time is compressed in one honest way: after most kills, the dead process's leases and locks are
 * deleted, which is what their TTLs (10 s for the stepper's lease, 30 s for an alias lock) would do
 * once they ran out. Some kills wait the TTLs out for real.
 */

import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { RedisRolloutStore } from '../../src/adapters/redis/rollouts.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { type BotProcess, SIGNING_SECRET, startBot } from '../support/bot-process.js';
import { sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
const KILLS = LARGE ? 50 : 15;
/** Kills after which the next process waits for the dead one's lease (and any lock) to expire by itself. */
const REAL_EXPIRIES = LARGE ? 3 : 1;
/** Rollouts run at once; a new batch starts when one ends, on fresh aliases. */
const BATCH = 2;
const ALIASES = 24;
const STEPS = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
/** Every UpdateAlias takes this long in the emulator, so that some kills land while one is in flight. */
const UPDATE_LATENCY_MS = 200;

const pad = (n: number) => String(n).padStart(2, '0');
const aliases = Array.from({ length: ALIASES }, (_, i) => `c${pad(i)}`);

const POLICY = `
channels:
  approvals: C0APPROVALS
  alerts: C0ALERTS
approval_ttl: 30m
alarm_poll_interval: 30s
roles:
  deployers: [U0ALICE]
  approvers: [U0BOB]
  responders: []
functions:
  crash-api:
    aliases:
${aliases.map((a) => `      ${a}: {}`).join('\n')}
`;

interface Change {
  readonly operation: string;
  readonly functionVersion: string;
  readonly routing: Record<string, number>;
}

let world: World;
/** The bot's processes: two, as two replicas; the leader of the rollout stepper is the one killed. */
const bots: BotProcess[] = [];

beforeAll(async () => {
  world = await startWorld({
    policy: POLICY,
    functions: [{ name: 'crash-api', versions: 2, aliases: Object.fromEntries(aliases.map((a) => [a, '1'])) }],
  });
  bots.push(world.bot, await startBot(world.env));
});

afterAll(async () => {
  await Promise.all(bots.map((b) => b.stop()));
  await world?.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function history(alias: string): Promise<Change[]> {
  return world.control<Change[]>('GET', `/_emulator/alias-history?function=crash-api&alias=${alias}`);
}

const updates = async (alias: string) => (await history(alias)).filter((c) => c.operation === 'UpdateAlias');
const updateCalls = async () =>
  (await world.control<Record<string, number>>('GET', '/_emulator/calls'))['lambda.UpdateAlias'] ?? 0;
const historyLength = async (names: readonly string[]) =>
  (await Promise.all(names.map((a) => history(a)))).reduce((n, h) => n + h.length, 0);

/** The routings a rollout of STEPS from v1 to v2 must leave, in order, each once. */
const planned = STEPS.map((percent) =>
  percent === 100
    ? { functionVersion: '2', routing: {} }
    : { functionVersion: '1', routing: { 2: Math.round(percent * 1000) / 100_000 } },
);

const finished = async (alias: string) => {
  const last = (await updates(alias)).at(-1);
  return last?.functionVersion === '2' && Object.keys(last.routing).length === 0;
};

async function startRollouts(names: readonly string[]): Promise<void> {
  for (const alias of names) {
    const r = world.slack.newResponseUrl();
    const ack = await sendCommand((bots[0] as BotProcess).url, SIGNING_SECRET, {
      text: `canary crash-api:${alias} 2 --steps ${STEPS.join(',')} --every 1s`,
      response_url: r.url,
    });
    expect(ack.status).toBe(200);
    expect(textOf(await world.slack.waitForResponse(r.id, () => true, 30_000))).toMatch(/started/);
  }
}

type Moment = 'random' | 'in-flight' | 'just-applied';

/** Waits for the moment to kill, by kind; gives up waiting (and kills anyway) after a few seconds. */
async function waitFor(moment: Moment, live: readonly string[]): Promise<void> {
  if (moment === 'random') return sleep(Math.random() * 1500);
  const probe =
    moment === 'in-flight'
      ? // UpdateAlias received by the emulator and still in its latency: the bot dies before the answer.
        updateCalls
      : // UpdateAlias applied: the bot dies while recording it (audit, rollout state, Slack message).
        () => historyLength(live);
  const before = await probe();
  await until(moment, async () => ((await probe()) > before ? true : undefined), 4_000).catch(() => {});
  if (moment === 'just-applied') await sleep(Math.random() * 30);
}

/** The process holding the rollout stepper's lease (`host:pid:id|token`), else any. */
async function leader(): Promise<BotProcess> {
  const held = await world.redis.get(redisKeys(world.prefix).lease('rollout-stepper'));
  const pid = held?.startsWith(`${hostname()}:`) ? Number(held.split(':')[1]) : undefined;
  return bots.find((b) => b.child.pid === pid) ?? (bots[Math.floor(Math.random() * bots.length)] as BotProcess);
}

/**
 * What the TTLs of a dead process's leases and locks would do once its time ran out. Alias locks
 * go first, while the lease still keeps the other replica from stepping: only the stepper takes
 * them in this test, and the stepper was the dead process.
 */
async function expireHoldingsOf(pid: number): Promise<void> {
  for (const key of await world.redis.keys(`${world.prefix}lock:alias:*`)) await world.redis.del(key);
  const mine = `${hostname()}:${pid}:`;
  for (const name of ['rollout-stepper', 'alarm-poller', 'approval-sweeper', 'intent-settler']) {
    const key = redisKeys(world.prefix).lease(name);
    if ((await world.redis.get(key))?.startsWith(mine)) await world.redis.del(key);
  }
}

describe('SIGKILL during rollouts', () => {
  it(`${KILLS} kills at random points: every rollout completes, each step applied once`, async () => {
    await world.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'UpdateAlias', latencyMs: UPDATE_LATENCY_MS, latencyProbability: 1 }],
    });
    const started: string[] = [];
    const moments: Record<Moment, number> = { random: 0, 'in-flight': 0, 'just-applied': 0 };
    const realExpiries = new Set(
      Array.from({ length: REAL_EXPIRIES }, (_, i) => Math.floor(((i + 1) * KILLS) / (REAL_EXPIRIES + 1))),
    );
    let waitedOut = 0;
    const began = Date.now();

    for (let kill = 0; kill < KILLS; kill++) {
      let live: string[] = [];
      for (const alias of started) if (!(await finished(alias))) live.push(alias);
      if (live.length === 0) {
        live = aliases.slice(started.length, started.length + BATCH);
        expect(live, 'enough aliases for the rollouts').toHaveLength(BATCH);
        await startRollouts(live);
        started.push(...live);
      }
      const moment = (['random', 'in-flight', 'just-applied'] as const)[Math.floor(Math.random() * 3)] as Moment;
      moments[moment]++;
      await waitFor(moment, live);
      const victim = await leader();
      victim.child.kill('SIGKILL');
      await victim.exited;
      bots.splice(bots.indexOf(victim), 1);
      if (!realExpiries.has(kill)) await expireHoldingsOf(victim.child.pid as number);
      const t = Date.now();
      const before = await historyLength(live);
      // Restarted: the other replica leads meanwhile, once the dead leader's lease is gone.
      bots.push(await startBot(world.env));
      if (realExpiries.has(kill)) {
        const moved = async () =>
          (await historyLength(live)) > before || (await Promise.all(live.map(finished))).every(Boolean);
        await until(
          'a step after the dead leader’s lease expired',
          async () => ((await moved()) ? true : undefined),
          45_000,
        );
        waitedOut += Date.now() - t;
      }
    }

    // The last process runs every rollout to its end.
    await until(
      'every rollout to complete',
      async () => ((await Promise.all(started.map(finished))).every(Boolean) ? true : undefined),
      90_000,
    );
    await world.control('DELETE', '/_emulator/faults');
    const store = new RedisRolloutStore(world.redis, world.prefix);
    await until('no rollout left open', async () => ((await store.live()).length === 0 ? true : undefined), 10_000);
    const seconds = (Date.now() - began) / 1000;

    for (const alias of started) {
      const applied = (await updates(alias)).map((c) => ({ functionVersion: c.functionVersion, routing: c.routing }));
      expect(applied, `crash-api:${alias}`).toEqual(planned);
    }
    const records = await auditExport(world.prefix, ['--function', 'crash-api']);
    const completions = records.filter((r) => r.action === 'canary.complete' && r.result === 'ok');
    expect(new Set(completions.map((r) => r.alias))).toEqual(new Set(started));
    expect(completions).toHaveLength(started.length);
    const okSteps = records.filter((r) => r.action === 'canary.step' && r.result === 'ok');
    // Every step in AWS has an ok record (from the step itself, or written on recovery after a
    // restart); a kill between the two may leave both, which describe the same state.
    for (const alias of started) {
      const percents = new Set(
        okSteps.filter((r) => r.alias === alias).map((r) => Math.round((r.to?.weights?.['2'] ?? 0) * 100)),
      );
      for (const percent of STEPS) expect(percents.has(percent), `crash-api:${alias} ${percent}% audited`).toBe(true);
    }
    const steps = okSteps.length;
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
    console.info(
      `[crashes] ${KILLS} SIGKILLs (${moments.random} at a random moment, ${moments['in-flight']} with an UpdateAlias ` +
        `in flight, ${moments['just-applied']} right after one landed; ${REAL_EXPIRIES} waiting out the TTLs for real, ` +
        `${(waitedOut / 1000).toFixed(1)} s) over ${started.length} rollouts of ${STEPS.length} steps in ` +
        `${seconds.toFixed(1)} s: ${started.length * STEPS.length} steps, each applied once, in order; ` +
        `${steps} canary.step records ok; audit chain verifies`,
    );
  });
});
