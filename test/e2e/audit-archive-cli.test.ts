/**
 * `npm run audit -- verify --archive` and `export --archive` as a process (CONTRACT §14), against
 * real Redis and the emulator's S3: the archiver has put segments into a locked bucket in another
 * account (reached through its role, as the bot reaches it), and Redis was trimmed after them.
 * Each damaging test puts back what it damaged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { parseSegmentKey } from '../../src/domain/archive.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { entry } from '../contract/ports/audit-log.case.js';
import {
  ARCHIVE_PREFIX,
  type ArchiveWorld,
  archivePolicy,
  BUCKET,
  startArchiveWorld,
} from '../support/archive-world.js';
import { writePolicy } from '../support/bot-process.js';

const HOUR = 3_600_000;
let w: ArchiveWorld;
let written: AuditRecord[];

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const records = (text: string) => lines(text).map((l) => JSON.parse(l) as AuditRecord);

beforeAll(async () => {
  w = await startArchiveWorld({ retainInRedis: '1d' });
  written = [];
  // Three days of records, one an hour, the archiver every six hours; Redis trimmed to the last day.
  for (let hour = 0; hour < 72; hour++) {
    const fn = hour % 3 === 0 ? 'orders-api' : 'payments-api';
    written.push(await w.log.append(entry({ function: fn, request: `r${hour}` })));
    w.clock.advance(HOUR);
    if (hour % 6 === 5) await w.archiver.run(async () => true);
  }
}, 60_000);

afterAll(async () => {
  await w?.close();
});

async function summary(): Promise<string> {
  const base = (await w.log.trimmedBefore())?.id ?? 0;
  const position = await w.archiving.position();
  return `archive OK: ${position.segments} segments, records 1–${position.id}; Redis from ${base + 1} to 72; seam OK\n`;
}

describe('the archive and Redis, after a trim', () => {
  it('Redis was trimmed to the last day, and plain verify still checks Redis only, from its base', async () => {
    const base = (await w.log.trimmedBefore())?.id ?? 0;
    expect(base).toBeGreaterThan(20);
    expect((await w.keys()).length).toBeGreaterThanOrEqual(3);
    expect(await w.audit(['verify'])).toEqual({
      code: 0,
      stdout: `audit chain OK: ${72 - base} records from record ${base + 1} (earlier records are in the archive, trimmed from Redis)\n`,
      stderr: '',
    });
  });

  it('verify --archive: every segment, the chain between them and the seam; one summary line, exit 0', async () => {
    expect(await w.audit(['verify', '--archive'])).toEqual({ code: 0, stdout: await summary(), stderr: '' });
  });

  it('export --archive is the whole history, record for record, across the seam', async () => {
    const run = await w.audit(['export', '--archive']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(records(run.stdout)).toEqual(written);
    // Each line exactly as `export` prints Redis's records.
    const plain = await w.audit(['export']);
    expect(run.stdout.endsWith(plain.stdout)).toBe(true);
  });

  it('export --archive --function F --since ISO filters both sides alike', async () => {
    const since = written[10]?.at as string;
    const run = await w.audit(['export', '--archive', '--function', 'orders-api', '--since', since]);
    expect(run.code).toBe(0);
    const expected = written.filter((r) => r.function === 'orders-api' && r.at >= since);
    expect(records(run.stdout)).toEqual(expected);
    expect(expected.some((r) => Number(r.id) <= 20)).toBe(true);
    expect(expected.some((r) => Number(r.id) > 60)).toBe(true);
  });
});

describe('damage is named', () => {
  it('a rewritten segment: that object, exit 1', async () => {
    const [, second] = await w.keys();
    const key = second as string;
    const original = (await w.store.get(key)) as Uint8Array;
    await w.tamper(key);
    try {
      const run = await w.audit(['verify', '--archive']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^archive BROKEN at object s3://${BUCKET}/${key}: it is not gzip`));
    } finally {
      await w.restore(key, original);
    }
    expect((await w.audit(['verify', '--archive'])).code).toBe(0);
  });

  it('a segment whose records were rewritten and re-gzipped: the object and its record', async () => {
    const [first] = await w.keys();
    const key = first as string;
    const original = (await w.store.get(key)) as Uint8Array;
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const text = gunzipSync(original).toString('utf8').replace('"actor":"U0ALICE"', '"actor":"U0MALLORY"');
    await w.restore(key, gzipSync(text));
    try {
      const run = await w.audit(['verify', '--archive']);
      expect(run).toEqual({
        code: 1,
        stdout: `archive BROKEN at object s3://${BUCKET}/${key}, record 1: its contents do not match its hash: the record was changed\n`,
        stderr: '',
      });
    } finally {
      await w.restore(key, original);
    }
  });

  it('a deleted segment: the gap, at the object after it; export refuses', async () => {
    const [, second, third] = await w.keys();
    const gone = parseSegmentKey(ARCHIVE_PREFIX, second as string);
    const original = (await w.store.get(second as string)) as Uint8Array;
    await w.remove(second as string);
    try {
      const run = await w.audit(['verify', '--archive']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(
        `archive BROKEN at object s3://${BUCKET}/${third}: records ${gone?.first} to ${gone?.last} are in no segment: segments are missing\n`,
      );
      const exported = await w.audit(['export', '--archive']);
      expect(exported.code).toBe(1);
      expect(exported.stdout).toBe('');
      expect(exported.stderr).toContain(`records ${gone?.first} to ${gone?.last} are in no segment`);
    } finally {
      const lock = { mode: 'COMPLIANCE' as const, retainUntil: new Date(Date.now() + 86_400_000) };
      expect(await w.store.put(second as string, original, lock)).toBe('written');
    }
    expect((await w.audit(['verify', '--archive'])).code).toBe(0);
  });

  it('the last segment deleted: Redis says it was written, so it is named', async () => {
    const keys = await w.keys();
    const last = keys.at(-1) as string;
    const original = (await w.store.get(last)) as Uint8Array;
    await w.remove(last);
    try {
      const run = await w.audit(['verify', '--archive']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`archive BROKEN at object s3://${BUCKET}/${last}`);
      expect(run.stdout).toContain('segments are missing');
    } finally {
      const lock = { mode: 'COMPLIANCE' as const, retainUntil: new Date(Date.now() + 86_400_000) };
      await w.store.put(last, original, lock);
    }
  });

  it('a Redis record at the seam rewritten: that record, in Redis', async () => {
    const log = redisKeys(w.prefix).auditLog;
    const saved = (await w.redis.dumpBuffer(log)) as Buffer;
    const [first] = await w.redis.xrange(log, '-', '+', 'COUNT', 1);
    const [entryId, fields] = first as [string, string[]];
    const rec = JSON.parse(fields[1] as string) as AuditRecord;
    const forged = `${log}:forged`;
    const rest = await w.redis.xrange(log, `(${entryId}`, '+');
    await w.redis.xadd(forged, entryId, 'rec', JSON.stringify({ ...rec, actor: 'U0MALLORY' }));
    for (const [id, f] of rest) await w.redis.xadd(forged, id, ...f);
    await w.redis.rename(forged, log);
    try {
      const run = await w.audit(['verify', '--archive']);
      expect(run).toEqual({
        code: 1,
        stdout: `archive BROKEN at Redis, record ${rec.id}: its contents do not match its hash: the record was changed\n`,
        stderr: '',
      });
    } finally {
      await w.redis.restore(log, 0, saved, 'REPLACE');
    }
    expect(await w.audit(['verify', '--archive'])).toEqual({ code: 0, stdout: await summary(), stderr: '' });
  });
});

describe('settings and reach', () => {
  it('no policy file: named, exit 2', async () => {
    expect(await w.audit(['verify', '--archive'], { LAMBDA_BOT_CONFIG: '/nonexistent/lambda-bot.yml' })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'audit: LAMBDA_BOT_CONFIG: /nonexistent/lambda-bot.yml: no such file\n',
    });
  });

  it('plain verify needs neither the policy nor AWS', async () => {
    const run = await w.audit(['verify'], { LAMBDA_BOT_CONFIG: '/nonexistent/lambda-bot.yml', AWS_REGION: undefined });
    expect(run.code).toBe(0);
  });

  it('a role the credentials may not assume: one line naming the bucket, account, region and AWS’s reason', async () => {
    const run = await w.audit(['verify', '--archive'], {
      AWS_ACCESS_KEY_ID: '999999999999',
      AWS_SECRET_ACCESS_KEY: 'hunter2-secret',
    });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'audit: the archive bucket acme-lambda-audit (account audit 222222222222, region eu-west-1) cannot be read: ListObjectsV2: the bot cannot act in account audit (222222222222): AssumeRole on arn:aws:iam::222222222222:role/lambda-release-bot failed (AccessDenied): User: arn:aws:iam::999999999999:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/lambda-release-bot\n',
    });
    expect(run.stderr).not.toContain('hunter2');
  });

  it('--own-credentials: an auditor in the bucket’s account reads it as themself, no role assumed', async () => {
    // The emulator's account is the access key's: these are credentials of the archive's account itself.
    const auditor = { AWS_ACCESS_KEY_ID: '222222222222', AWS_SECRET_ACCESS_KEY: 'auditor-secret' };
    const run = await w.audit(['verify', '--archive', '--own-credentials'], auditor);
    expect(run).toEqual({ code: 0, stdout: await summary(), stderr: '' });
    const exported = await w.audit(['export', '--archive', '--own-credentials'], auditor);
    expect(records(exported.stdout).map((r) => r.id)).toEqual(written.map((r) => r.id));
    // The bot's own credentials are of another account: bucket names are global, so S3 denies, as it
    // does for a bucket another account owns; the line says whose credentials were used.
    const elsewhere = await w.audit(['verify', '--archive', '--own-credentials']);
    expect(elsewhere).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'audit: the archive bucket acme-lambda-audit (your own credentials, region eu-west-1) cannot be read: ListObjectsV2: AccessDenied: Access Denied\n',
    });
  });

  it('no such bucket: S3’s reason; AWS not answering: the error code, never the endpoint', async () => {
    const other = writePolicy(archivePolicy().replace(`bucket: ${BUCKET}`, 'bucket: no-such-bucket-here'));
    expect(await w.audit(['export', '--archive'], { LAMBDA_BOT_CONFIG: other })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'audit: the archive bucket no-such-bucket-here (account audit 222222222222, region eu-west-1) cannot be read: ListObjectsV2: NoSuchBucket: The specified bucket does not exist\n',
    });
    const away = await w.audit(['verify', '--archive'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(away).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'audit: the archive bucket acme-lambda-audit (account audit 222222222222, region eu-west-1) cannot be read: ListObjectsV2: no connection to AWS (ECONNREFUSED)\n',
    });
  });

  it('a policy without audit_archive, or no region: a setting, exit 2', async () => {
    const none = writePolicy(archivePolicy().replace(/audit_archive:[\s\S]*$/, ''));
    expect(await w.audit(['verify', '--archive'], { LAMBDA_BOT_CONFIG: none })).toEqual({
      code: 2,
      stdout: '',
      stderr: `audit: ${none}: audit_archive: not set, so there is no archive to read\n`,
    });
    const noRegion = await w.audit(['verify', '--archive'], { AWS_REGION: undefined, HOME: '/nonexistent' });
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toBe(
      'audit: no AWS region: set AWS_REGION (or a region in the AWS profile the bot runs with)\n',
    );
  });
});
