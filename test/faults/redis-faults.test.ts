/**
 * Issue 9, item 3: Redis faults. The bot runs against a private redis-server (AOF, fsync always)
 * that the tests freeze (SIGSTOP), kill (SIGKILL) and restart on the same port and folder.
 * Writes must be refused within Slack's limits with a message saying what to do, no change may
 * reach AWS without its audit record, reads that need no Redis still answer, and the bot must
 * recover by itself when Redis is back.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { type AliasHistoryEntry, undescribed } from '../support/alias-audit.js';
import { PrivateRedis } from '../support/redis-server.js';
import { startWorld, textOf, type World } from '../support/world.js';

/** Slack's limit for the ack; the answer on response_url must come while the user still waits. */
const ACK_LIMIT_MS = 3000;
const ANSWER_LIMIT_MS = 10_000;
const REFUSED = /Redis is unavailable.*Nothing was changed.*Try again in a minute/s;
const WRITES = [
  'promote payments-api:staging 2',
  'shift orders-api:prod 2 50',
  'rollback payments-api:staging',
  'publish payments-api',
];
const ALIASES = [
  ['payments-api', 'staging'],
  ['payments-api', 'prod'],
  ['orders-api', 'prod'],
] as const;

let redis: PrivateRedis;
let world: World;

beforeAll(async () => {
  redis = await PrivateRedis.start({ aof: true });
  world = await startWorld({ env: { REDIS_URL: redis.url } });
});

afterAll(async () => {
  await world?.close();
  await redis?.stop();
});

interface Timed {
  readonly ackStatus: number;
  readonly ackMs: number;
  readonly answerMs: number;
  readonly reply: Record<string, unknown>;
}

/** Sends a command and times its ack and its answer on response_url. */
async function timed(text: string): Promise<Timed> {
  const started = performance.now();
  const { ack, response } = await world.command(text);
  const ackMs = performance.now() - started;
  const reply = await response();
  return { ackStatus: ack.status, ackMs, answerMs: performance.now() - started, reply };
}

async function ok(text: string): Promise<Record<string, unknown>> {
  const { reply } = await timed(text);
  expect(reply.response_type, textOf(reply)).toBe('in_channel');
  return reply;
}

async function readyz(): Promise<{ status: number; body: string }> {
  const response = await fetch(`${world.bot.url}/readyz`);
  return { status: response.status, body: await response.text() };
}

async function waitUntilReady(): Promise<number> {
  const started = performance.now();
  const deadline = started + 15_000;
  while ((await readyz()).status !== 200) {
    if (performance.now() > deadline) throw new Error('/readyz did not come back within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - started;
}

async function calls(): Promise<Record<string, number>> {
  return world.control<Record<string, number>>('GET', '/_emulator/calls');
}

/** Every write refused in time with the message, none reaching AWS; reads still answer. */
async function expectWritesRefusedReadsAnswer(label: string): Promise<void> {
  const before = await Promise.all(ALIASES.map(([fn, alias]) => world.routing(fn, alias)));
  await world.control('DELETE', '/_emulator/calls');
  const results = await Promise.all(WRITES.map(timed));
  for (const [i, r] of results.entries()) {
    expect(r.ackStatus, WRITES[i]).toBe(200);
    expect(r.ackMs, WRITES[i]).toBeLessThan(ACK_LIMIT_MS);
    expect(r.answerMs, WRITES[i]).toBeLessThan(ANSWER_LIMIT_MS);
    expect(r.reply.response_type, WRITES[i]).toBe('ephemeral');
    expect(textOf(r.reply), WRITES[i]).toMatch(REFUSED);
  }
  const made = await calls();
  expect(made['lambda.UpdateAlias'] ?? 0).toBe(0);
  expect(made['lambda.PublishVersion'] ?? 0).toBe(0);
  expect(await Promise.all(ALIASES.map(([fn, alias]) => world.routing(fn, alias)))).toEqual(before);

  const versions = await timed('versions payments-api');
  expect(textOf(versions.reply)).toContain('release 4 of payments-api');
  const diff = await timed('diff payments-api 1 2');
  expect(textOf(diff.reply)).toContain('FEATURE_X');
  const status = await timed('status payments-api');
  expect(textOf(status.reply)).toMatch(/Redis is unavailable: last changes and drift are not shown/);
  for (const r of [versions, diff, status]) expect(r.answerMs).toBeLessThan(ANSWER_LIMIT_MS);

  const ready = await readyz();
  expect(ready.status).toBe(503);
  expect(ready.body).toMatch(/redis/);
  const slowest = (xs: Timed[]) => Math.round(Math.max(...xs.map((x) => x.answerMs)));
  console.info(
    `[redis-faults] ${label}: ${WRITES.length} writes refused, slowest ack ${Math.round(Math.max(...results.map((r) => r.ackMs)))} ms, ` +
      `slowest answer ${slowest(results)} ms; reads answered, slowest ${slowest([versions, diff, status])} ms`,
  );
}

describe('Redis frozen (SIGSTOP): the socket stays open and nothing answers', () => {
  it('writes are refused within seconds, nothing reaches AWS, reads answer; SIGCONT → writes work again', async () => {
    await ok('promote payments-api:staging 4');
    redis.pause();
    try {
      await expectWritesRefusedReadsAnswer('frozen');
    } finally {
      redis.resume();
    }
    const readyMs = await waitUntilReady();
    // The same alias at once: a lock whose SET Redis ran only on SIGCONT must not hold it for its TTL.
    const reply = await ok('promote payments-api:staging 2');
    expect(textOf(reply)).toContain('100% v4 → 100% v2');
    console.info(`[redis-faults] frozen → back: ready after ${Math.round(readyMs)} ms, next write ok`);
  });
});

describe('Redis killed (SIGKILL) and started again on the same port', () => {
  it('writes are refused at once, reads answer; restarted → the bot reconnects and writes work', async () => {
    await redis.kill();
    try {
      await expectWritesRefusedReadsAnswer('killed');
    } finally {
      await redis.restart();
    }
    const readyMs = await waitUntilReady();
    const reply = await ok('rollback payments-api:staging');
    expect(textOf(reply)).toContain('100% v2 → 100% v4');
    console.info(`[redis-faults] killed → restarted: ready after ${Math.round(readyMs)} ms, next write ok`);
  });
});

describe('Redis freezes while a change is in flight', () => {
  it('the change made in AWS is described by its intent record, and the user is told the outcome is unrecorded', async () => {
    await world.control('DELETE', '/_emulator/calls');
    await world.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'UpdateAlias', latencyMs: 1500, latencyProbability: 1 }],
    });
    try {
      const { response } = await world.command('promote orders-api:prod 3');
      // The intent is written before UpdateAlias is sent; the emulator counts the call on arrival.
      const deadline = Date.now() + 10_000;
      while (((await calls())['lambda.UpdateAlias'] ?? 0) === 0) {
        if (Date.now() > deadline) throw new Error('UpdateAlias never came');
        await new Promise((r) => setTimeout(r, 10));
      }
      redis.pause();
      const reply = await response();
      redis.resume();
      expect(reply.response_type).toBe('in_channel');
      expect(textOf(reply)).toMatch(/Redis failed before its outcome was recorded; the audit log holds its intent/);
    } finally {
      redis.resume();
      await world.control('DELETE', '/_emulator/faults');
    }
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '3' });
    await waitUntilReady();
    const intents = (await auditExport()).filter((r) => r.function === 'orders-api' && r.result === 'pending');
    expect(intents.at(-1)?.to).toEqual({ version: '3', weights: { '3': 1 } });
    // Its lock was released once Redis answered again: the alias is not blocked for the lock's TTL.
    await ok('promote orders-api:prod 1');
  });
});

describe('audit durability: AOF with appendfsync always, Redis killed right after the answer', () => {
  it('the record the user was shown is there after the restart, and the chain verifies', async () => {
    const reply = await ok('shift payments-api:staging 3 25');
    const id = /Audit record #(\d+)/.exec(textOf(reply))?.[1];
    await redis.kill();
    expect(id).toBeDefined();
    await redis.restart();
    const record = (await auditExport()).find((r) => r.id === id);
    expect(record).toMatchObject({
      action: 'shift',
      function: 'payments-api',
      alias: 'staging',
      result: 'ok',
      to: { version: '4', weights: { '4': 0.75, '3': 0.25 } },
    });
    expect(await auditVerify()).toMatchObject({ code: 0 });
    await waitUntilReady();
  });
});

describe('at the end', () => {
  it('every change the emulator made to an alias has its audit record, and the chain verifies', async () => {
    const records = await auditExport();
    let changes = 0;
    for (const [fn, alias] of ALIASES) {
      const history = await world.control<AliasHistoryEntry[]>(
        'GET',
        `/_emulator/alias-history?function=${fn}&alias=${alias}`,
      );
      changes += history.filter((h) => h.operation === 'UpdateAlias').length;
      expect(undescribed(history, records, fn, alias), `${fn}:${alias}`).toEqual([]);
    }
    expect(changes).toBeGreaterThanOrEqual(5);
    expect(await auditVerify()).toMatchObject({ code: 0 });
    console.info(
      `[redis-faults] ${changes} alias changes in AWS, each with its audit record; ${records.length} records`,
    );
  });
});

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../dist/src/cli/audit.js');

/** `npm run audit` against the private Redis. */
async function audit(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: world.prefix },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

async function auditExport(): Promise<AuditRecord[]> {
  const { code, out } = await audit(['export']);
  if (code !== 0) throw new Error(`audit export failed: ${out}`);
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as AuditRecord);
}

function auditVerify(): Promise<{ code: number; out: string }> {
  return audit(['verify']);
}
