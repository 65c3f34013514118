import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.js';
import { ArchiveView } from '../../sandbox/console/archive-view.js';
import { AwsPanel } from '../../sandbox/console/aws-panel.js';
import { CREDENTIALS, grantRoles, PROD, REGION } from '../../sandbox/demo/account.js';
import { ARCHIVE, panelArchive } from '../../sandbox/demo/archive.js';
import { panelPlaces } from '../../sandbox/demo/functions.js';
import { demoPolicy } from '../../sandbox/demo/policy.js';
import { createArchiveBucket } from '../../sandbox/demo/seed.js';
import { S3ArchiveStore } from '../../src/adapters/aws/s3-archive.js';
import { parsePolicy } from '../../src/config/policy.js';
import type { AuditArchivePolicy } from '../../src/domain/policy-model.js';
import { Archiver } from '../../src/services/archiver.js';
import { entry } from '../contract/ports/audit-log.case.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { MemoryAuditArchiving } from '../fakes/memory-audit-archiving.js';
import { MemoryAuditLog } from '../fakes/memory-audit-log.js';
import { TestClock } from '../fakes/test-clock.js';
import { botAws } from '../support/bot-aws.js';

/**
 * The demo's audit archive (CONTRACT §14): the bucket the seed makes in prod, the policy's
 * `audit_archive:` for it, the bot's archiver writing there through prod's role as the bot does, and
 * the panel showing the segments as S3 holds them (records, size, Object Lock). The archiver runs on
 * a test clock over an in-memory audit log: what is under test is the bucket and the panel.
 */
const YEAR = 365 * 86_400_000;

let emulator: RunningEmulator;
let panel: AwsPanel;
let aws: ReturnType<typeof botAws>;
let settings: AuditArchivePolicy;

beforeAll(async () => {
  emulator = await startEmulator({ clock: 'real', updateDelayMs: 0 });
  await grantRoles(emulator.url);
  await createArchiveBucket(emulator.url);
  const parsed = parsePolicy(demoPolicy(), { defaultRegion: REGION });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  settings = parsed.policy.auditArchive as AuditArchivePolicy;
  aws = botAws(emulator.url, parsed.policy, { credentials: CREDENTIALS, region: REGION });
  panel = new AwsPanel(emulator.url, panelPlaces(), panelArchive());
});

afterAll(async () => {
  panel?.destroy();
  aws?.close();
  await emulator?.close();
});

async function archive() {
  const { archive: a } = await panel.snapshot();
  if (!a) throw new Error('the panel shows no archive');
  return a;
}

describe('the demo’s audit archive', () => {
  it('the policy archives to the seeded bucket in prod, often enough for a demo, locked for years', () => {
    expect(settings).toMatchObject({
      bucket: ARCHIVE.bucket,
      prefix: ARCHIVE.prefix,
      account: PROD.name,
      region: ARCHIVE.place.region,
      mode: 'COMPLIANCE',
      retain: { unit: 'years', n: 7 },
      intervalMs: 20_000,
      maxRecords: 20,
    });
  });

  it('before the bot archives anything, the panel shows the locked bucket and no segment', async () => {
    expect(await archive()).toEqual({
      bucket: 'acme-lambda-audit',
      prefix: 'lambda-release-bot/',
      account: 'prod',
      accountId: PROD.id,
      region: 'eu-west-1',
      objectLock: 'Enabled',
      segments: 0,
      through: 0,
      newest: [],
    });
  });

  it('shows each segment the archiver wrote through prod’s role: its records, size and lock', async () => {
    const clock = new TestClock(new Date());
    const log = new MemoryAuditLog(clock);
    const archiver = new Archiver({
      store: new S3ArchiveStore(aws.clients, aws.fleet.place(settings.account, settings.region), settings.bucket),
      archiving: new MemoryAuditArchiving(log),
      settings,
      retainInRedisMs: 30 * 86_400_000,
      clock,
      notifier: new FakeNotifier(),
      alertsChannel: 'C0ALERTS',
      warn: (message, fields) => {
        throw new Error(`${message}: ${JSON.stringify(fields)}`);
      },
      info: () => {},
    });
    for (let i = 1; i <= 25; i++) await log.append(entry({ request: `r${i}` }));
    // 20 records make a segment at once (max_records); the other 5 wait for the interval.
    expect(await archiver.run(async () => true)).toEqual({ written: 1, adopted: 0 });
    clock.advance(settings.intervalMs);
    expect(await archiver.run(async () => true)).toEqual({ written: 1, adopted: 0 });

    const a = await archive();
    expect([a.segments, a.through]).toEqual([2, 25]);
    expect(a.newest.map((s) => [s.first, s.last, s.mode])).toEqual([
      [21, 25, 'COMPLIANCE'],
      [1, 20, 'COMPLIANCE'],
    ]);
    for (const s of a.newest) {
      expect(s.key).toMatch(/^lambda-release-bot\/\d{12}-\d{12}-[0-9a-f]{64}-[0-9a-f]{64}\.jsonl\.gz$/);
      expect(s.size).toBeGreaterThan(100);
      const kept = Date.parse(s.retainUntil ?? '') - Date.now();
      expect(kept).toBeGreaterThan(7 * YEAR - 3 * 86_400_000);
      expect(kept).toBeLessThan(7 * YEAR + 3 * 86_400_000);
    }
  });

  it('says what S3 answers when the bucket cannot be read, and the rest of the panel still shows', async () => {
    const missing = new ArchiveView(emulator.url, { ...panelArchive(), bucket: 'no-such-audit-bucket' });
    try {
      expect(await missing.snapshot()).toMatchObject({ error: 'NoSuchBucket', segments: 0, newest: [] });
    } finally {
      missing.destroy();
    }
    expect((await panel.snapshot()).places).toHaveLength(3);
  });
});
