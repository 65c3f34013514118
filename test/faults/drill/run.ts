/**
 * One failover drill: people, canaries and the alarm at work while the drill SIGKILLs a primary at
 * random moments, each time waiting for a replica's promotion, taking the killed node back as a
 * replica, and timing how long after the promotion the bot served a command again. Then it stops
 * everything, lets the settler close what was left open, and gathers the evidence for the checks.
 */
import type { AuditRecord } from '../../../src/domain/audit.js';
import { auditExport, auditVerify } from '../../support/audit-cli.js';
import { Canaries, FlappingAlarm } from './background.js';
import { type Answer, People } from './people.js';
import { settleNow } from './settle.js';
import type { DrillWorld } from './world.js';

export interface Kill {
  readonly what: string;
  /** When the replica was seen promoted (performance.now()), and the kill by the wall clock, to read logs by. */
  readonly promotedAt: number;
  readonly killedAt: string;
  /** From the SIGKILL to the replica seen promoted. */
  readonly promotionMs: number;
  /** From the promotion to the first command answered as done (Infinity: none within the limit). */
  readonly servedMs: number;
}

export interface DrillRun {
  readonly kills: readonly Kill[];
  readonly answers: readonly Answer[];
  readonly canaries: Canaries;
  readonly alarm: FlappingAlarm;
  readonly settled: number;
  readonly settleWarnings: readonly string[];
  readonly records: readonly AuditRecord[];
  readonly verify: { readonly code: number; readonly out: string };
  readonly seconds: number;
  /**
   * Master changes during the drill (Sentinel only, performance.now()): the kills' failovers, and
   * any Sentinel made on its own.
   */
  readonly switches?: readonly number[];
}

/** How long after a promotion the drill waits for a command to be served before it calls the kill failed. */
const SERVE_LIMIT_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runDrill(drill: DrillWorld, kills: number, log: (line: string) => void): Promise<DrillRun> {
  const began = performance.now();
  const since = Date.now();
  const people = new People(drill);
  const canaries = new Canaries(drill);
  const alarm = new FlappingAlarm(drill);
  await alarm.start();
  people.start();
  canaries.start();
  const done: Kill[] = [];
  try {
    for (let k = 0; k < kills; k++) {
      // A random moment: with ten people, a canary and the alarm poller at work, commands, steps and
      // alert posts are under way at any time; 0.2–0.8 s after the bot served again.
      await sleep(200 + Math.random() * 600);
      const outage = await drill.topology.kill(drill.world.prefix);
      const failover = await drill.topology.waitForFailover(outage);
      const back = drill.topology.restart(outage);
      const served = await servedAgain(people, outage.at, failover.at);
      await back;
      const kill = {
        what: outage.what,
        killedAt: new Date(Date.now() - (performance.now() - outage.at)).toISOString(),
        promotedAt: failover.at,
        promotionMs: failover.ms,
        servedMs: served - failover.at,
      };
      done.push(kill);
      log(
        `kill ${k + 1}/${kills} (${kill.what}): promoted after ${s(kill.promotionMs)}, served again ${s(kill.servedMs)} later`,
      );
    }
  } finally {
    await Promise.all([people.stop(), canaries.stop(), alarm.stop()]);
  }
  const switches = drill.topology
    .switches?.()
    .filter((at) => at >= since)
    .map((at) => performance.now() - (Date.now() - at));
  // The bots stop (and free their leases) before the settler's pass: no change is under way then.
  await Promise.all(drill.bots.map((b) => b.stop()));
  const { settled, warnings } = await settleNow(drill);
  const records = await auditExport(drill.world.prefix, [], drill.topology.env);
  const verify = await auditVerify(drill.world.prefix, drill.topology.env);
  const seconds = (performance.now() - began) / 1000;
  return {
    kills: done,
    answers: people.answers,
    canaries,
    alarm,
    settled,
    settleWarnings: warnings,
    records,
    verify,
    seconds,
    ...(switches ? { switches } : {}),
  };
}

async function servedAgain(people: People, killedAt: number, promotedAt: number): Promise<number> {
  const deadline = promotedAt + SERVE_LIMIT_MS;
  for (;;) {
    const at = people.servedAgain(killedAt, promotedAt);
    if (at !== undefined) return at;
    if (performance.now() > deadline) return Number.POSITIVE_INFINITY;
    await sleep(20);
  }
}

export const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never');

/** The median and the largest of some times, for the figures. */
export function spread(ms: readonly number[]): { p50: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}
