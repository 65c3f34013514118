/**
 * Issue 14: why REDIS_REPLICAS_ACK exists. The failover drill of failover.test.ts runs once more
 * on a Sentinel set with REDIS_REPLICAS_ACK=0 and reports what it lost; random kills on loopback
 * rarely catch a write between the primary and its replica, so the loss is then made certain:
 * the replica is frozen and cut off before a change, the primary killed after it. With 0 the bot
 * answers the change and its records die with the primary; with 1 the same change is refused and
 * nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentinelSet } from '../support/redis-topology.js';
import { dumpEvidence } from './drill/dump.js';
import { lostAcknowledged, unrecordedChanges } from './drill/log-checks.js';
import { loseOnFailover, type RecipeResult } from './drill/recipe.js';
import { findingsOf, summary } from './drill/report.js';
import { runDrill } from './drill/run.js';
import { type DrillTopology, sentinelTopology } from './drill/topology.js';
import { startDrillWorld } from './drill/world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
/** The ACK=0 drill's kills: it is run for its losses, which random kills rarely cause (see above). */
const KILLS = LARGE ? 20 : 5;
const label = '[failover-losses]';
const ms = (a: { sentAt: number; answeredAt: number }) => `${Math.round(a.answeredAt - a.sentAt)} ms`;

let topology: (DrillTopology & { readonly set: SentinelSet }) | undefined;

beforeAll(async () => {
  topology = await sentinelTopology();
});

afterAll(async () => {
  await topology?.stop();
});

describe('REDIS_REPLICAS_ACK=0: what failovers lose', () => {
  it(`the drill, once, with ${KILLS} kills of the primary: its losses reported`, async () => {
    if (!topology) throw new Error('the Sentinel set did not start');
    const drill = await startDrillWorld(topology, 0);
    try {
      const run = await runDrill(drill, KILLS, (line) => console.info(`${label} ${line}`));
      const findings = await findingsOf(drill, run);
      const lost = lostAcknowledged(run.records, run.answers);
      const bare = await unrecordedChanges(drill, run.records);
      console.info(`${label} ${summary(drill, run, findings)}`);
      console.info(
        `${label} losses: ${lost.length} records shown to people and gone or replaced; ${bare.length} changes in AWS ` +
          `with no record at all; ${findings.problems.aliases.length} alias findings; ` +
          `${findings.problems.chain.length} chain findings`,
      );
      for (const line of [...lost, ...bare, ...findings.problems.aliases]) console.info(`${label} lost: ${line}`);
      if (lost.length + bare.length > 0) console.info(`${label} evidence: ${await dumpEvidence(drill, run)}`);
      for (const line of [...findings.problems.answers, ...findings.problems.canaries, ...findings.problems.alerts])
        console.info(`${label} also: ${line}`);
      expect(run.kills).toHaveLength(KILLS);
      for (const kill of run.kills) expect(kill.servedMs).toBeLessThanOrEqual(10_000);
    } finally {
      await drill.close();
    }
  }, 600_000);

  it('the loss made certain (replica frozen and cut off, primary killed after the change): ACK=0 loses it, ACK=1 refuses it', async () => {
    if (!topology) throw new Error('the Sentinel set did not start');
    const results: RecipeResult[] = [];
    for (const ack of [0, 1]) {
      const drill = await startDrillWorld(topology, ack);
      try {
        results.push(await loseOnFailover(drill, topology.set));
      } finally {
        await drill.close();
      }
    }
    const [none, one] = results as [RecipeResult, RecipeResult];
    console.info(
      `${label} REDIS_REPLICAS_ACK=0: answered "${none.answer.kind}" in ${ms(none.answer)}, ` +
        `shown record #${none.answer.auditId}; ${none.changesInAws} change in AWS; the chain went from ` +
        `${none.chainBefore} records to ${none.chainBefore + 2} and back to ${none.chainAfter} with the failover; ` +
        `${none.recordsKept.length} records of the change kept; #${none.answer.auditId} is now ` +
        `${none.shownNow ? `${none.shownNow.actor}'s ${none.shownNow.action}` : 'nothing'}; audit verify passes`,
    );
    console.info(
      `${label} REDIS_REPLICAS_ACK=1: answered "${one.answer.kind}" in ${ms(one.answer)} ` +
        `(${one.answer.text.split('\n')[0]}); ${one.changesInAws} changes in AWS; chain ${one.chainBefore} → ` +
        `${one.chainAfter} records; nothing shown, nothing lost`,
    );
    expect(none.answer.kind).toBe('done');
    expect(none.changesInAws).toBe(1);
    expect(none.recordsKept).toEqual([]);
    expect(none.chainAfter).toBe(none.chainBefore);
    expect(none.shownNow?.actor).not.toBe(none.answer.person);

    expect(one.answer.kind).toBe('refused');
    expect(one.changesInAws).toBe(0);
    expect(one.recordsKept.filter((r) => r.result === 'ok')).toEqual([]);
    expect(one.chainAfter).toBe(one.chainBefore);
  }, 300_000);
});
