/**
 * A drill that finds a problem leaves its evidence in a file, since the topology, the emulator and
 * the bots are gone by the time anyone reads the failure: every answer, every audit record, the
 * alias histories, and the bots' warnings and errors.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillRun } from './run.js';
import { CANARY_ALIASES, CANARY_FN, type DrillWorld, functionOf, PEOPLE } from './world.js';

/** Writes the evidence and answers the file's path. */
export async function dumpEvidence(drill: DrillWorld, run: DrillRun): Promise<string> {
  const aliases = [
    ...PEOPLE.map((p) => [functionOf(p), 'live'] as const),
    ...CANARY_ALIASES.map((a) => [CANARY_FN, a] as const),
  ];
  const histories: Record<string, unknown> = {};
  for (const [fn, alias] of aliases) histories[`${fn}:${alias}`] = await drill.history(fn, alias);
  // The bot logs its level by name.
  const logs = drill.bots.map((b) =>
    b.logs.filter((l) => /"level":"(warn|error|fatal)"/.test(l)).concat(b.stderr.map((l) => `stderr: ${l}`)),
  );
  const file = join(tmpdir(), `failover-drill-${drill.topology.name}-ack${drill.ack}-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { kills: run.kills, answers: run.answers, records: run.records, histories, logs, redis: drill.topology.logs() },
      null,
      1,
    ),
  );
  return file;
}
