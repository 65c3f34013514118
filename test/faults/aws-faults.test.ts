/**
 * Issue 9, item 4: AWS faults. The emulator throttles 30% and fails 5% (500) of EVERY Lambda and
 * CloudWatch call, with Lambda's realistic `Retry-After: 1`, while users publish, promote, shift,
 * roll back, read, run a canary, and the alarm poller polls. Every command must be acknowledged
 * within Slack's 3 s and then either complete (the SDK retries with back-off) or say clearly that
 * AWS failed; and at the end the audit log must describe every alias exactly as AWS has it.
 */
import { UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, Snapshot } from '../../src/domain/audit.js';
import { CHANGE_ACTIONS } from '../../src/services/snapshots.js';
import { handlerZip } from '../emulator/support/zip.js';
import { type AliasHistoryEntry, asSnapshot, sameSnapshot, undescribed } from '../support/alias-audit.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
/** Rounds of the mixed workload below: 3 by default (~60 commands), 15 with FAULTS_SCALE=large. */
const ROUNDS = LARGE ? 15 : 3;
const FAULTS = { service: '*', operation: '*', throttle: 0.3, error5xx: 0.05, retryAfterSeconds: 1 };
const ACK_LIMIT_MS = 3000;
/** Slack accepts answers on response_url for 30 minutes; a person waits far less. */
const ANSWER_LIMIT_MS = 30_000;
/** What a command that AWS failed must say: that AWS failed, and what to do. */
const AWS_FAILED = /AWS did not answer: .*(Check `\/lambda status`|may or may not)/s;

const POLICY = TEST_POLICY.replace('alarm_poll_interval: 30s', 'alarm_poll_interval: 5s').replace(
  '  orders-api:\n    aliases:\n      prod: {}',
  '  orders-api:\n    aliases:\n      prod: {}\n      canary: {}',
);
const SEED = {
  'payments-api:prod': '3',
  'payments-api:staging': '3',
  'orders-api:prod': '1',
  'orders-api:canary': '1',
} as const;

let world: World;
const tally = { ok: 0, failedClearly: 0, acks: [] as number[], answers: [] as number[] };

beforeAll(async () => {
  world = await startWorld({
    policy: POLICY,
    functions: [
      { name: 'payments-api', versions: 4, aliases: { prod: '3', staging: '3' } },
      { name: 'orders-api', versions: 3, aliases: { prod: '1', canary: '1' } },
    ],
  });
  // New code on orders-api's $LATEST, so that the first publish under faults makes v4.
  await world.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'orders-api', ZipFile: handlerZip('v4') }));
});

afterAll(async () => {
  await world?.close();
});

/** Sends a command and classifies its answer: done, or failed with a clear message; anything else fails the test. */
async function run(text: string, done: (reply: Record<string, unknown>) => boolean): Promise<'ok' | 'failed'> {
  const started = performance.now();
  const { id, url } = world.slack.newResponseUrl();
  const ack = await sendCommand(world.bot.url, SIGNING_SECRET, { text, response_url: url });
  const ackMs = performance.now() - started;
  expect(ack.status, text).toBe(200);
  expect(ackMs, text).toBeLessThan(ACK_LIMIT_MS);
  const reply = await world.slack.waitForResponse(id, undefined, ANSWER_LIMIT_MS);
  tally.acks.push(ackMs);
  tally.answers.push(performance.now() - started);
  if (done(reply)) {
    tally.ok += 1;
    return 'ok';
  }
  expect(textOf(reply), text).toMatch(AWS_FAILED);
  tally.failedClearly += 1;
  return 'failed';
}

const changed = (r: Record<string, unknown>) => r.response_type === 'in_channel';
/** A change may also be refused as pointless ("already sends 100% to v3"): that is an answer too. */
const changedOrNoop = (r: Record<string, unknown>) =>
  changed(r) || /already sends|nothing to roll back/.test(textOf(r));
const says = (pattern: RegExp) => (r: Record<string, unknown>) => pattern.test(textOf(r));

describe('30% throttling and 5% 5xx on every Lambda and CloudWatch call', () => {
  it('every command is acknowledged in time and then completes or says AWS failed', async () => {
    await world.control('DELETE', '/_emulator/calls');
    await world.control('PUT', '/_emulator/faults', { rules: [FAULTS] });
    try {
      await workload();
    } finally {
      await world.control('DELETE', '/_emulator/faults');
    }
  });

  /** The mixed workload, under faults: ROUNDS rounds of every kind of command, then a canary. */
  async function workload(): Promise<void> {
    const started = performance.now();
    const ready: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await run('publish orders-api', says(/v4/));
      await run(`promote orders-api:prod ${round % 2 === 0 ? 2 : 3}`, changedOrNoop);
      await run(`shift payments-api:staging 4 ${10 + round * 5}`, changedOrNoop);
      await run('rollback orders-api:prod', changedOrNoop);
      await run('status payments-api', says(/100% v3/));
      await run('versions orders-api', says(/release 3 of orders-api/));
      await run('diff payments-api 1 2', says(/FEATURE_X/));
      await run('rollback payments-api:staging 3', changedOrNoop);
      ready.push((await fetch(`${world.bot.url}/readyz`)).status);
    }
    // A canary under the same faults: its steps are retried tick after tick until AWS answers.
    const canary = await run('canary orders-api:canary 3 --steps 10,50,100 --every 2s', says(/Rollout of .* started/));
    if (canary === 'ok') await untilRouting('orders-api', 'canary', { version: '3', weights: { '3': 1 } }, 90_000);
    const seconds = (performance.now() - started) / 1000;

    const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    const max = (xs: number[]) => Math.round(Math.max(...xs));
    console.info(
      `[aws-faults] ${tally.ok + tally.failedClearly} commands in ${seconds.toFixed(1)} s: ${tally.ok} completed, ` +
        `${tally.failedClearly} failed with a clear message; slowest ack ${max(tally.acks)} ms, slowest answer ` +
        `${max(tally.answers)} ms; ${total} AWS calls (${calls['lambda.UpdateAlias'] ?? 0} UpdateAlias, ` +
        `${calls['cloudwatch.DescribeAlarms'] ?? 0} DescribeAlarms); /readyz ${ready.join(',')}; canary ${canary}`,
    );
    // Five attempts each: a command fails only when one of its calls meets five faults in a row (0.35^5).
    expect(tally.ok).toBeGreaterThan(tally.failedClearly * 4);
    expect(calls['cloudwatch.DescribeAlarms'] ?? 0).toBeGreaterThan(0);
  }

  it('a change whose every attempt fails is reported clearly and recorded as not applied', async () => {
    const before = await world.routing('orders-api', 'prod');
    const target = before.primary === '2' ? '3' : '2';
    await world.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'UpdateAlias', error5xx: 1 }, FAULTS],
    });
    try {
      expect(await run(`promote orders-api:prod ${target}`, changed)).toBe('failed');
    } finally {
      await world.control('DELETE', '/_emulator/faults');
    }
    expect(await world.routing('orders-api', 'prod')).toEqual(before);
    const last = outcomes(await auditExport(world.prefix), 'orders-api', 'prod').at(-1);
    expect(last).toMatchObject({ action: 'promote', result: 'error', to: { version: target } });
    expect(last?.detail).toMatch(/^not applied: UpdateAlias failed \(ServiceException 500\)/);
  });

  it('afterwards, the audit log describes every alias exactly as AWS has it', async () => {
    const records = await auditExport(world.prefix);
    for (const [name, seeded] of Object.entries(SEED)) {
      const [fn, alias] = name.split(':') as [string, string];
      const history = await world.control<AliasHistoryEntry[]>(
        'GET',
        `/_emulator/alias-history?function=${fn}&alias=${alias}`,
      );
      // No change in AWS without its write-ahead record.
      expect(undescribed(history, records, fn, alias), name).toEqual([]);
      // The changes the log says were made are exactly the changes AWS made, in order.
      const seed: Snapshot = { version: seeded, weights: { [seeded]: 1 } };
      const logged = outcomes(records, fn, alias)
        .filter((r) => r.result === 'ok' && r.to)
        .map((r) => r.to as Snapshot);
      const made = history.filter((h) => h.operation === 'UpdateAlias').map(asSnapshot);
      expect(distinct([seed, ...logged]), name).toEqual(distinct([seed, ...made]));
      // And the alias is where the last successful change left it.
      const now = await world.routing(fn, alias);
      const current = asSnapshot({
        functionVersion: now.primary,
        routing: now.additional ? { [now.additional.version]: now.additional.weight } : {},
      });
      expect(sameSnapshot(current, distinct([seed, ...logged]).at(-1)), name).toBe(true);
    }
    const published = records.filter((r) => r.action === 'publish' && r.result === 'ok');
    expect(published.map((r) => r.to?.version).filter((v) => v !== '4')).toEqual([]);
    expect((await auditVerify(world.prefix)).code).toBe(0);
  });
});

/** The outcome records (not the intents) of traffic changes to one alias. */
function outcomes(records: readonly AuditRecord[], fn: string, alias: string): AuditRecord[] {
  const changes: readonly string[] = CHANGE_ACTIONS;
  return records.filter(
    (r) => r.function === fn && r.alias === alias && changes.includes(r.action) && r.result !== 'pending',
  );
}

/** Drops repeats of the same routing in a row (a record that confirms a state rather than changing it). */
function distinct(snapshots: readonly Snapshot[]): Snapshot[] {
  return snapshots.filter((s, i) => i === 0 || !sameSnapshot(s, snapshots[i - 1]));
}

async function untilRouting(fn: string, alias: string, want: Snapshot, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const history = await world.control<AliasHistoryEntry[]>(
      'GET',
      `/_emulator/alias-history?function=${fn}&alias=${alias}`,
    );
    const last = history.at(-1);
    if (last && sameSnapshot(asSnapshot(last), want)) return;
    if (Date.now() > deadline) throw new Error(`${fn}:${alias} did not reach ${JSON.stringify(want)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
