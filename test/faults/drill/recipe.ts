/**
 * The deterministic loss measured in the project's Redis HA reference (ioredis 6, Redis 7.0), played on the bot:
 * the replica is frozen (SIGSTOP) and its link cut on the primary (CLIENT KILL TYPE replica), so
 * that it cannot read the stream later; a person's change goes through the bot; the primary is
 * SIGKILLed and the replica thawed (SIGCONT) and promoted. With REDIS_REPLICAS_ACK=0 the bot
 * answers the change, AWS has it, and its records die with the primary; with 1 the write is
 * refused, since no replica confirms it, and AWS is never called.
 */
import type { AuditRecord } from '../../../src/domain/audit.js';
import { auditExport, auditVerify } from '../../support/audit-cli.js';
import type { SentinelSet } from '../../support/redis-topology.js';
import { type Answer, ask } from './people.js';
import { type DrillWorld, functionOf, PEOPLE } from './world.js';

export interface RecipeResult {
  /** What the person was told. */
  readonly answer: Answer;
  /** The alias's changes in AWS made by that command (0 or 1). */
  readonly changesInAws: number;
  /** The records of that request that the chain holds after the failover. */
  readonly recordsKept: readonly AuditRecord[];
  /** The chain's length just before the failover, and just after it (before the bot wrote again). */
  readonly chainBefore: number;
  readonly chainAfter: number;
  /** What the chain holds, once the bot writes again, at the number the person was shown. */
  readonly shownNow?: AuditRecord;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const count = async (drill: DrillWorld) =>
  Number(/(\d+) records/.exec((await auditVerify(drill.world.prefix, drill.topology.env)).out)?.[1] ?? Number.NaN);

export async function loseOnFailover(drill: DrillWorld, set: SentinelSet): Promise<RecipeResult> {
  const [person = '', other = ''] = PEOPLE;
  const fn = functionOf(person);
  const url = drill.bots[0]?.url ?? drill.world.bot.url;
  const now = await drill.routing(fn, 'live');
  const command = `promote ${fn}:live ${now.primary === '2' ? '3' : '2'}`;
  const before = (await drill.history(fn, 'live')).length;
  const chainBefore = await count(drill);

  const primary = await set.primary();
  const replica = set.dataNodes.find((n) => n !== primary);
  if (!replica) throw new Error('the Sentinel set has no replica');
  set.pause(replica);
  await primary.call('CLIENT', 'KILL', 'TYPE', 'replica');
  const answer = await ask(drill, url, person, fn, command);
  const outage = await set.killPrimary();
  set.resume(replica);
  await set.waitForFailover(outage);
  const chainAfter = await count(drill);
  await set.restart(outage.node);

  // The bot writes again (another person's change), reusing the numbers the lost records had.
  const otherFn = functionOf(other);
  for (let tries = 0; tries < 100; tries++) {
    const routing = await drill.routing(otherFn, 'live');
    const next = await ask(
      drill,
      url,
      other,
      otherFn,
      `promote ${otherFn}:live ${routing.primary === '1' ? '2' : '1'}`,
    );
    if (next.kind === 'done') break;
    await sleep(200);
  }
  const records = await auditExport(drill.world.prefix, [], drill.topology.env);
  return {
    answer,
    changesInAws: (await drill.history(fn, 'live')).length - before,
    // The person sent nothing else in this world: every record of theirs is of this command.
    recordsKept: records.filter((r) => r.function === fn && r.actor === person),
    chainBefore,
    chainAfter,
    ...(answer.auditId ? { shownNow: records[Number(answer.auditId) - 1] } : {}),
  };
}
