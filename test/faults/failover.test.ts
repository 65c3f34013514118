/**
 * Issue 14: failover drills with REDIS_REPLICAS_ACK=1. The bot runs as two processes on a Sentinel
 * set, then on a Cluster; ten people send signed commands on their own aliases (and publish now and
 * then), canaries step, an alarm flaps, while the drill SIGKILLs a primary at random moments. After
 * each kill a replica is promoted and the killed node comes back as a replica; the bot must serve a
 * command again within 10 s of the promotion. Afterwards nothing may be missing, doubled or false:
 * every change in AWS has its `ok` record (its own, or the settler's), every version its publish,
 * every canary step happened once, every alert was posted once, every refusal changed nothing, the
 * chain verifies with exactly the records it holds and every record a person was shown is in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpEvidence } from './drill/dump.js';
import { findingsOf, NONE, summary } from './drill/report.js';
import { runDrill } from './drill/run.js';
import { clusterTopology, type DrillTopology, sentinelTopology } from './drill/topology.js';
import { type DrillWorld, startDrillWorld } from './drill/world.js';

const LARGE = process.env.FAULTS_SCALE === 'large';
/** SIGKILLs of a primary per topology. */
const KILLS = LARGE ? 50 : 20;
/** The bot must serve again this soon after a replica is promoted. */
const SERVE_LIMIT_MS = 10_000;

describe.each([
  ['Sentinel', sentinelTopology],
  ['Cluster', clusterTopology],
] as const)('%s: primaries SIGKILLed under load, REDIS_REPLICAS_ACK=1', (name, start) => {
  let topology: DrillTopology | undefined;
  let drill: DrillWorld | undefined;

  beforeAll(async () => {
    topology = await start();
    drill = await startDrillWorld(topology, 1);
  });

  afterAll(async () => {
    await drill?.close();
    await topology?.stop();
  });

  it(`${KILLS} kills: nothing lost, doubled or false, and the bot serves again within 10 s of each promotion`, async () => {
    if (!drill) throw new Error(`the ${name} drill did not start`);
    const label = `[failover] ${drill.topology.name}`;
    const run = await runDrill(drill, KILLS, (line) => console.info(`${label} ${line}`));
    const findings = await findingsOf(drill, run);
    console.info(`${label} ${summary(drill, run, findings)}`);
    for (const line of findings.settler) console.info(`${label} settler contradicted by AWS: ${line}`);
    if (JSON.stringify(findings.problems) !== JSON.stringify(NONE))
      console.info(`${label} evidence: ${await dumpEvidence(drill, run)}`);
    expect(findings.problems).toEqual(NONE);
    expect(run.kills).toHaveLength(KILLS);
    for (const kill of run.kills) expect(kill.servedMs).toBeLessThanOrEqual(SERVE_LIMIT_MS);
  }, 900_000);
});
