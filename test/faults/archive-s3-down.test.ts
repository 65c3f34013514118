/**
 * S3 down for a while (CONTRACT §14, issue 17): the emulator fails every S3 call (500 InternalError,
 * some 503 SlowDown) while the bot keeps taking commands. The archiver backs off; /readyz stays
 * 200; every command is still carried out and audited; the lag metric grows; past `alert_lag` the
 * alerts channel is told once; nothing is trimmed while records wait to be archived, even those
 * past the retention window. When S3 is back the archive catches up, says so once, and only then
 * Redis is trimmed, never past what the archive holds.
 *
 * The bot's clock is shifted forward (bot-clock.ts) to make minutes and a day pass: its backoff,
 * lag and retention all read that clock; S3's outage and the processes are real. A day is not
 * jumped under a running process: its scheduler (node-cron) would replay 86,400 missed one-second
 * ticks per job. The bot is restarted a day later instead, S3 still down, which also shows that the
 * backoff, the lag and the refusal to trim hold for a process that starts into an outage. The lag
 * alert is once in all (whether it is out is kept in Redis beside the archive position): the
 * restarted process does not tell the channel again.
 */

import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify } from '../support/audit-cli.js';
import { type BotClock, botClock } from '../support/bot-clock.js';
import { type BotProcess, SIGNING_SECRET } from '../support/bot-process.js';
import { sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';
import {
  archivePolicy,
  archiveState,
  createLockedBucket,
  type RedisArchiveState,
  readArchive,
  redisRecords,
  sleep,
  testS3,
  until,
} from './archive-world.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Records a command phase writes: each freeze and unfreeze writes one. */
const COMMANDS = 12;

let world: World;
let clock: BotClock;
let s3: S3Client;
/** The bot: the world's own, then the one started a day later. */
let bot: BotProcess;

beforeAll(async () => {
  clock = botClock();
  world = await startWorld({ policy: archivePolicy({ maxRecords: 20, alertLag: '1m' }, '1d'), env: clock.env });
  bot = world.bot;
  s3 = testS3(world.emulator.url);
  await createLockedBucket(s3);
});

afterAll(async () => {
  s3?.destroy();
  await world?.close();
});

/** A command at the bot's time; resolves with the bot's reply once it has carried it out. */
async function command(text: string): Promise<string> {
  const { id, url } = world.slack.newResponseUrl();
  const ack = await sendCommand(bot.url, SIGNING_SECRET, { text, response_url: url }, clock.signAt());
  expect(ack.status).toBe(200);
  return textOf(await world.slack.waitForResponse(id));
}

async function commands(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const reply = await command(i % 2 === 0 ? `freeze orders-api:prod outage drill ${i}` : 'unfreeze orders-api:prod');
    expect(reply).toMatch(i % 2 === 0 ? /frozen/i : /unfrozen|lifted|no longer/i);
  }
}

/** A GET to the bot, tried again once: a kept-alive connection the bot just closed resets the first try. */
async function get(path: string): Promise<Response> {
  return fetch(`${bot.url}${path}`).catch(() => fetch(`${bot.url}${path}`));
}

async function lagSeconds(): Promise<number | undefined> {
  const text = await (await get('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith('lambda_bot_audit_archive_lag_seconds '));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

const readyz = async () => (await get('/readyz')).status;
const s3Calls = async () =>
  Object.entries(await world.control<Record<string, number>>('GET', '/_emulator/calls'))
    .filter(([name]) => name.startsWith('s3.'))
    .reduce((n, [, count]) => n + count, 0);
const alerts = (match: RegExp) =>
  world.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'C0ALERTS' && match.test(String(c.args.text)));
const BEHIND = /audit archive is .* behind/;
const CAUGHT_UP = /audit archive has caught up/;

/** Moves the bot's clock and waits until the archiver has run after it (the lag metric moved). */
async function runAfter(ms: number, what: string): Promise<number> {
  const before = await lagSeconds();
  clock.advance(ms);
  return until(
    what,
    async () => {
      const now = await lagSeconds();
      return now !== undefined && now !== before ? now : undefined;
    },
    20_000,
  );
}

/** Redis's archive state sampled every 20 ms, to catch a trim past the archive however briefly. */
function sampleArchiveState() {
  const samples: RedisArchiveState[] = [];
  let sampling = true;
  const done = (async () => {
    while (sampling) {
      samples.push(await archiveState(world));
      await sleep(20);
    }
  })();
  return {
    samples,
    async stop() {
      if (!sampling) return;
      sampling = false;
      await done;
      samples.push(await archiveState(world));
    },
  };
}

const logged = (text: string) => async () => (bot.logs.some((l) => l.includes(text)) ? true : undefined);

describe('S3 down for a while', () => {
  it('the archive lags and says so, writes go on, nothing unarchived is trimmed; then it catches up and trims', async () => {
    const began = Date.now();
    const sampler = sampleArchiveState();
    try {
      // Before: records archived as usual.
      await commands(COMMANDS);
      clock.advance(11_000);
      const archivedBefore = await until(
        'the first records archived',
        async () => {
          const s = await archiveState(world);
          return s.position === s.head && s.head === COMMANDS ? s.position : undefined;
        },
        20_000,
      );

      // S3 fails every call (500 InternalError, or 503 SlowDown), as long as the rule stands.
      const faults = await world.control<{ error?: string }>('PUT', '/_emulator/faults', {
        rules: [{ service: 's3', operation: '*', throttle: 0.3, error5xx: 0.7 }],
      });
      expect(faults?.error).toBeUndefined();
      const callsAtOutage = await s3Calls();
      await commands(COMMANDS);
      expect(await readyz()).toBe(200);
      const lag1 = await runAfter(11_000, 'a run while S3 is down');
      expect((await s3Calls()) - callsAtOutage).toBeGreaterThan(0);
      await until('the failure logged', logged('audit archive failed; retrying with backoff'), 20_000);
      expect(alerts(BEHIND)).toHaveLength(0);

      // Past alert_lag (1m): the alerts channel is told, once; more failed runs tell it nothing more.
      const lag2 = await runAfter(2 * MINUTE, 'a run past alert_lag');
      expect(lag2).toBeGreaterThan(Math.max(lag1, 60));
      await world.slack.waitForCall('chat.postMessage', (c) => BEHIND.test(String(c.args.text)), 20_000);
      const lag3 = await runAfter(MINUTE, 'a run a minute later');
      expect(lag3).toBeGreaterThan(lag2);
      expect(await readyz()).toBe(200);
      expect(alerts(BEHIND)).toHaveLength(1);
      expect(await archiveState(world)).toMatchObject({ position: archivedBefore, base: 0, head: 2 * COMMANDS });

      // A day later, S3 still down: every record so far is past the retention window (1d), the first
      // ones archived, the others not. The new process fails too, and trims nothing at all.
      await bot.stop();
      clock.advance(DAY);
      bot = await world.startReplica();
      await commands(COMMANDS);
      // Its gauge reads 0 until the archiver's first run has measured.
      const lag4 = await until(
        'the new process to measure the lag',
        async () => (await lagSeconds()) || undefined,
        20_000,
      );
      expect(lag4).toBeGreaterThan(DAY / 1000);
      await until('the new process to fail', logged('audit archive failed; retrying with backoff'), 20_000);
      const lag5 = await runAfter(16_000, 'a run after the backoff');
      expect(lag5).toBeGreaterThan(lag4);
      expect(await readyz()).toBe(200);
      expect(await archiveState(world)).toMatchObject({ position: archivedBefore, base: 0, head: 3 * COMMANDS });
      const failedCalls = (await s3Calls()) - callsAtOutage;

      // S3 is back: the next run after the backoff catches up, then trims what is both archived and old.
      await world.control('DELETE', '/_emulator/faults');
      clock.advance(31_000);
      const after = await until(
        'the archive caught up and Redis trimmed',
        async () => {
          const s = await archiveState(world);
          return s.position === s.head && s.base > 0 ? s : undefined;
        },
        30_000,
      );
      await world.slack.waitForCall('chat.postMessage', (c) => CAUGHT_UP.test(String(c.args.text)), 20_000);
      await sampler.stop();

      // Trimmed: the records older than a day (the first two phases'), not those written after.
      expect(after.base).toBe(2 * COMMANDS);
      const firstTrim = sampler.samples.find((s) => s.base > 0);
      expect(firstTrim?.position, 'the archive had caught up before the first trim').toBe(3 * COMMANDS);
      const past = sampler.samples.filter((s) => s.base > s.position);
      expect(past, 'samples where Redis was trimmed past the archive').toEqual([]);
      // One alert, though two processes found the archive behind, and one note that it caught up.
      expect(alerts(BEHIND)).toHaveLength(1);
      expect(alerts(CAUGHT_UP)).toHaveLength(1);
      expect(await until('the lag back to 0', async () => ((await lagSeconds()) === 0 ? 0 : undefined), 20_000)).toBe(
        0,
      );

      const archive = await readArchive(s3, world);
      expect(archive.problem).toBeUndefined();
      const all = Array.from({ length: 3 * COMMANDS }, (_, i) => i + 1);
      expect(archive.records.map((r) => Number(r.id))).toEqual(all);
      const kept = await redisRecords(world);
      expect(kept.map((r) => Number(r.id))).toEqual(all.slice(2 * COMMANDS));
      const { code, out } = await auditVerify(world.prefix);
      expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      console.info(
        `[archive-s3-down] ${seconds} s: S3 down for over a day of the bot's clock (${failedCalls} S3 calls ` +
          `failed), ${2 * COMMANDS} commands carried out meanwhile, /readyz 200 at every check; lag ` +
          `${[lag1, lag2, lag3, lag4, lag5].map((l) => l.toFixed(0)).join(' → ')} s; one lag alert across a restart; ` +
          `${sampler.samples.length} samples of Redis, none trimmed past the archive; trimmed through ` +
          `${after.base} only once the archive reached ${firstTrim?.position}`,
      );
    } finally {
      await sampler.stop();
    }
  });
});
