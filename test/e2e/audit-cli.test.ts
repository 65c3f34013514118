/**
 * `npm run audit` as operators run it: the compiled CLI as a child process, against records
 * written by RedisAuditLog under a prefix of this test's own.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { entry } from '../contract/ports/audit-log.case.js';
import { TestClock } from '../fakes/test-clock.js';
import { cleanup, closedPort, connect, REDIS_URL, testPrefix } from '../support/redis.js';

const CLI = join(resolve(import.meta.dirname, '../..'), 'dist/src/cli/audit.js');
const prefix = testPrefix('cli');
let redis: Redis;
let written: AuditRecord[];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function audit(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, REDIS_URL, REDIS_KEY_PREFIX: prefix, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

beforeAll(async () => {
  redis = await connect();
  const clock = new TestClock('2025-03-01T10:00:00.000Z');
  const log = new RedisAuditLog(redis, prefix, clock);
  written = [];
  for (const [i, fn] of ['payments-api', 'orders-api', 'payments-api', null].entries()) {
    written.push(await log.append(entry({ function: fn, request: `r${i}` })));
    clock.advance(3_600_000);
  }
});

afterAll(async () => {
  await cleanup(redis, prefix);
  redis.disconnect();
});

describe('npm run audit', () => {
  it('verify: says the chain is OK and how many records it holds', async () => {
    expect(await audit(['verify'])).toEqual({ code: 0, stdout: 'audit chain OK: 4 records\n', stderr: '' });
  });

  it('export: one JSON object a line, oldest first, fields in CONTRACT §7 order', async () => {
    const run = await audit(['export']);
    expect(run.code).toBe(0);
    const records = lines(run.stdout).map((l) => JSON.parse(l) as AuditRecord);
    expect(records).toEqual(written);
    expect(Object.keys(records[0] ?? {})).toEqual([
      ...['id', 'at', 'actor', 'action', 'function', 'alias', 'from', 'to'],
      ...['result', 'detail', 'request', 'prev', 'hash'],
    ]);
  });

  it('export --function F --since ISO filters', async () => {
    const requests = (run: Run) => lines(run.stdout).map((l) => (JSON.parse(l) as AuditRecord).request);
    const [byFn, since, both] = await Promise.all([
      audit(['export', '--function', 'payments-api']),
      audit(['export', '--since', '2025-03-01T11:00:00Z']),
      audit(['export', '--function', 'payments-api', '--since', '2025-03-01T10:30:00Z']),
    ]);
    expect(requests(byFn)).toEqual(['r0', 'r2']);
    expect(requests(since)).toEqual(['r1', 'r2', 'r3']);
    expect(requests(both)).toEqual(['r2']);
  });

  it('bad arguments: the usage on stderr, exit 2', async () => {
    const runs = await Promise.all(
      [[], ['verfy'], ['export', '--since', 'soon'], ['export', '--fn', 'x']].map((a) => audit(a)),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('usage: npm run audit -- verify');
    }
  });

  it('a bad setting is named, never echoed: exit 2', async () => {
    const run = await audit(['verify'], { REDIS_KEY_PREFIX: 'has spaces-secret' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('audit: REDIS_KEY_PREFIX: must be 1–64 of A-Z a-z 0-9 : _ . -\n');
  });

  it('Redis not answering: one clear line, exit 1, no URL or password printed', async () => {
    const port = await closedPort();
    const run = await audit(['verify'], { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `audit: Redis does not answer (ECONNREFUSED): one node at 127.0.0.1:${port}; check the REDIS_ settings\n`,
    });
    expect(run.stderr).not.toContain('hunter2');
  });

  it('verify on a tampered log: BROKEN at the first broken record, exit 1', async () => {
    const tampered = testPrefix('cli-tampered');
    try {
      const log = new RedisAuditLog(redis, tampered, new TestClock());
      for (let i = 0; i < 3; i++) await log.append(entry({ request: `t${i}` }));
      await redis.xdel(redisKeys(tampered).auditLog, '2-0');
      expect(await audit(['verify'], { REDIS_KEY_PREFIX: tampered })).toEqual({
        code: 1,
        stdout: 'audit chain BROKEN at record 3: expected record 2 here: records are missing or out of order\n',
        stderr: '',
      });
    } finally {
      await cleanup(redis, tampered);
    }
  });
});
