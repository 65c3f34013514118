/**
 * The archiver's leader killed between PutObject and recording the position (CONTRACT §14, issue 17):
 * two bot processes share one Redis prefix and one emulator, a steady stream of commands writes
 * audit records, and the archiver (interval 10 s, max_records 4) cuts segments from them. Twenty
 * times, the leader is SIGKILLed right after S3 stored a segment and before the process heard so.
 * Afterwards no record is missing from the archive and none is in it twice; the segments chain and
 * meet Redis at the seam; Redis's chain verifies.
 *
 * How the window is hit: a process kill from outside cannot land reliably between the put's answer
 * and the Redis script that records it (a millisecond apart), and polling the emulator's object
 * count only finds the object after the bot may have moved on. So each bot talks to the emulator
 * through a proxy of the test's own (archive-proxy.ts) that, when armed, waits for S3's 200 to a
 * PutObject, SIGKILLs the bot and drops the answer. The put happened, the bot never learned it: the
 * state a crash in that window leaves (the segment in S3, its claim in Redis, the position before
 * it), and each kill checks that this is the state it left. A real process dies; nothing in the bot
 * is stubbed.
 *
 * Time is compressed in two honest ways. The bots' clocks are shifted forward (bot-clock.ts) 10 s at
 * a time when the archiver is to run, rather than waiting for its interval. After most kills the dead
 * process's archiver lease is deleted, which is what its TTL (30 s: three intervals) does once it
 * runs out; one kill waits the TTL out for real.
 *
 * The report counts PutObject answers: one 200 for each segment, and a 412 (already there, a no-op)
 * for each kill's segment put again, plus more once the bots' clocks run minutes ahead of the
 * emulator's: the SDK then corrects each answer for clock skew and retries the 412 up to its five
 * attempts (an artefact of the shifted clock, seen by logging every put at the proxy).
 */

import { hostname } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { parseSegmentKey } from '../../src/domain/archive.js';
import { auditVerify } from '../support/audit-cli.js';
import { type BotClock, botClock } from '../support/bot-clock.js';
import { type BotProcess, startBot } from '../support/bot-process.js';
import { startWorld, type World } from '../support/world.js';
import { type KillingProxy, type StoredPut, startKillingProxy } from './archive-proxy.js';
import {
  ARCHIVE_PREFIX,
  archivePolicy,
  archiveState,
  BUCKET,
  commandStream,
  createLockedBucket,
  objectExists,
  readArchive,
  redisRecords,
  testS3,
  until,
} from './archive-world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
const KILLS = LARGE ? 50 : 20;
/** The kill after which the lease is left to expire by itself. */
const REAL_EXPIRY = 7;
/** The archiver's interval (the policy's `interval: 10s`): one step of the bots' clocks. */
const INTERVAL_MS = 10_000;

interface Replica {
  readonly proxy: KillingProxy;
  bot: BotProcess;
}

let world: World;
let clock: BotClock;
let s3: S3Client;
const replicas: Replica[] = [];
let armed = false;
const kills: StoredPut[] = [];

async function startReplica(proxy?: KillingProxy): Promise<Replica> {
  const through =
    proxy ??
    (await startKillingProxy(
      world.emulator.url,
      BUCKET,
      () => {
        const kill = armed;
        armed = false;
        return kill;
      },
      (put) => kills.push(put),
    ));
  const bot = await startBot({ ...world.env, AWS_ENDPOINT_URL: through.url });
  through.victim = bot.child;
  return { proxy: through, bot };
}

beforeAll(async () => {
  clock = botClock();
  world = await startWorld({ policy: archivePolicy({ maxRecords: 4, alertLag: '1h' }), env: clock.env });
  // The world's own bot talks to the emulator directly; the two replicas here go through proxies.
  await world.bot.stop();
  s3 = testS3(world.emulator.url);
  await createLockedBucket(s3);
  replicas.push(await startReplica(), await startReplica());
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.bot.stop()));
  await Promise.all(replicas.map((r) => r.proxy.close()));
  s3?.destroy();
  await world?.close();
});

const alive = (r: Replica) => r.bot.child.exitCode === null && r.bot.child.signalCode === null;

/** Waits for `probe`, moving the bots' clocks an interval on every 1.5 s of waiting, so that the archiver's next run is due. */
async function nudging<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  let nudged = Date.now();
  return until(
    what,
    async () => {
      const found = await probe();
      if (found === undefined && Date.now() - nudged > 1500) {
        clock.advance(INTERVAL_MS);
        nudged = Date.now();
      }
      return found;
    },
    timeoutMs,
  );
}

/** What the lease's TTL does once the dead process stops renewing it. */
async function expireLeaseOf(pid: number): Promise<void> {
  const key = redisKeys(world.prefix).lease('audit-archiver');
  if ((await world.redis.get(key))?.startsWith(`${hostname()}:${pid}:`)) await world.redis.del(key);
}

describe('SIGKILL between PutObject and recording the archive position', () => {
  it(`${KILLS} kills: no gap, no overlap, every record archived once, the archive verifies`, async () => {
    const began = Date.now();
    const stream = commandStream(world, () => replicas.filter(alive).map((r) => r.bot.url), clock);
    let inWindow = 0;
    let waitedOut = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = kills.length;
        armed = true;
        clock.advance(INTERVAL_MS);
        await nudging('a segment stored by the leader', async () => (kills.length > before ? true : undefined), 60_000);
        const put = kills.at(-1) as StoredPut;
        const replica = replicas.find((r) => r.bot.child === put.victim) as Replica;
        await replica.bot.exited;
        const place = parseSegmentKey(ARCHIVE_PREFIX, put.key);
        expect(place, put.key).toBeDefined();
        const first = place?.first ?? 0;
        const last = place?.last ?? 0;
        // The window: the segment is in S3, its claim in Redis, and the position still before it.
        const state = await archiveState(world);
        if (state.claim === put.key && state.position === first - 1 && (await objectExists(s3, put.key))) inWindow++;
        const t = Date.now();
        if (kill !== REAL_EXPIRY) await expireLeaseOf(put.victim.pid as number);
        const restarted = startReplica(replica.proxy);
        // The other replica (or this one, restarted) takes the lease and finishes the claimed segment:
        // its second put of the same name is a no-op (412), then it records the position.
        await nudging(
          'the killed segment recorded by the next leader',
          async () => ((await archiveState(world)).position >= last ? true : undefined),
          60_000,
        );
        if (kill === REAL_EXPIRY) waitedOut = Date.now() - t;
        replica.bot = (await restarted).bot;
      }
    } finally {
      await stream.stop();
    }

    // The stream has stopped: the archive catches up to the last record written.
    await nudging(
      'the archive to catch up',
      async () => {
        const s = await archiveState(world);
        return s.head > 0 && s.position === s.head && s.claim === undefined ? true : undefined;
      },
      60_000,
    );
    const seconds = (Date.now() - began) / 1000;
    expect(inWindow, 'kills that left the segment stored and its position unrecorded').toBe(KILLS);

    const state = await archiveState(world);
    const archive = await readArchive(s3, world);
    expect(archive.problem).toBeUndefined();
    expect(archive.verifier.last.id).toBe(state.head);
    expect(archive.keys).toHaveLength(state.segments);
    // Every record once, in order, the same as Redis holds it (nothing was trimmed: retention is 1 day).
    const kept = await redisRecords(world);
    expect(kept).toHaveLength(state.head);
    expect(archive.records.map((r) => r.id)).toEqual(kept.map((r) => r.id));
    expect(archive.records.map((r) => r.hash)).toEqual(kept.map((r) => r.hash));
    // Each key was stored once: no second version of any segment, however often it was put.
    const { buckets } = await world.control<{ buckets: { name: string; objects: number; versions: number }[] }>(
      'GET',
      '/_emulator/s3',
    );
    expect(buckets.find((b) => b.name === BUCKET)).toMatchObject({ objects: state.segments, versions: state.segments });
    const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
    const puts = calls['s3.PutObject'] ?? 0;
    expect(puts).toBeGreaterThanOrEqual(state.segments + KILLS);
    const answers: Record<number, number> = {};
    for (const r of replicas)
      for (const [status, n] of Object.entries(r.proxy.puts))
        answers[Number(status)] = (answers[Number(status)] ?? 0) + n;
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
    console.info(
      `[archive-crashes] ${KILLS} SIGKILLs between PutObject and recording (${inWindow} checked in the window; ` +
        `one waiting out the 30 s lease, ${(waitedOut / 1000).toFixed(1)} s) in ${seconds.toFixed(1)} s: ` +
        `${stream.sent} commands, ${state.head} records in ${state.segments} segments, ${puts} PutObject calls ` +
        `(answers: ${JSON.stringify(answers)}; a 412 is a segment already there); no gap, no overlap, each record once; ` +
        'segments chain and meet Redis; audit chain verifies',
    );
  });
});
