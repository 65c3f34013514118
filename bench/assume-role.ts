/**
 * AssumeRole calls for 1,000 commands by 10 people over 3 accounts (6 places: prod in three regions,
 * staging in two, sandbox in one), against the most the design allows: one per (account, person)
 * per session lifetime, 30 here (the run lasts seconds; a session lives an hour).
 *
 * The bot runs as a process (`node dist/src/main.js`, as deployed) and gets signed `/lambda`
 * shift / promote / rollback commands over HTTP, 10 people at once, each waiting for the answer to
 * their last command before sending the next. The process, not the services in this one, so that
 * the count covers everything the deployed bot does while it serves them (its composition root's
 * session cache and clients, the Slack layer, /readyz clients, the alarm poller), and nothing is
 * built by the benchmark. The emulator counts every AssumeRole and lists each session it issued.
 */
import type { SeedFunction } from '../test/support/aws-world.js';
import { startWorld, textOf, type World } from '../test/support/world.js';
import { ACCOUNTS, accountsYaml, emulatorPlace, PLACES, roles } from './accounts.js';
import type { Benchmark, BenchRow } from './types.js';

const PEOPLE = Array.from({ length: 10 }, (_, i) => `U0DEV${i}`);
const COMMANDS = 1_000;
/** Each person has an alias of their own in every place, so that ten people never wait on one lock. */
const aliasOf = (person: number) => `u${person}`;
const BOT_SESSION = 'lambda-release-bot';

/** A cycle of changes that ends where it began (v1), so that every command changes something. */
const CYCLE = [
  (fa: string) => `shift ${fa} 2 10`,
  (fa: string) => `promote ${fa} 2`,
  (fa: string) => `rollback ${fa} 1`,
] as const;

const fnKey = (label: string) => `checkout-${label}`;

function policyYaml(): string {
  const aliases = PEOPLE.map((_, i) => `${aliasOf(i)}: {}`).join(', ');
  const functions = PLACES.map(
    (p) =>
      `  ${fnKey(p.label)}: { account: ${p.account.name}, region: ${p.region}, name: checkout, aliases: { ${aliases} } }`,
  );
  return `${accountsYaml()}channels: { approvals: C0APPROVALS, alerts: C0ALERTS }\nroles: { deployers: [${PEOPLE.join(', ')}], approvers: [], responders: [] }\nfunctions:\n${functions.join('\n')}\n`;
}

interface IssuedSession {
  readonly account: string;
  readonly sessionName: string;
}

export const assumeRole: Benchmark = {
  name: 'assume-role',
  async run(): Promise<BenchRow[]> {
    const seeded: SeedFunction = {
      name: 'checkout',
      versions: 2,
      aliases: Object.fromEntries(PEOPLE.map((_, i) => [aliasOf(i), '1'])),
    };
    const world = await startWorld({
      policy: policyYaml(),
      functions: [],
      places: PLACES.map((p) => ({ account: p.account.id, region: p.region, functions: [seeded] })),
      roles: roles(),
    });
    try {
      const started = performance.now();
      await Promise.all(PEOPLE.map((person, i) => commandsOf(world, person, i)));
      const seconds = (performance.now() - started) / 1000;
      const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
      const byPlace = await world.control<Record<string, Record<string, number>>>('GET', '/_emulator/calls?by=place');
      const { sessions } = await world.control<{ sessions: IssuedSession[] }>('GET', '/_emulator/sessions');
      return [row(calls, byPlace, sessions, seconds)];
    } finally {
      await world.close();
    }
  },
};

/** Person `i` sends their share of the commands, one at a time, going round the places. */
async function commandsOf(world: World, person: string, i: number): Promise<void> {
  const step = new Map<string, number>();
  const share = COMMANDS / PEOPLE.length;
  for (let k = 0; k < share; k++) {
    // Start each person at a different place, so that all six places are busy from the start.
    const place = PLACES[(i + k) % PLACES.length];
    if (!place) throw new Error('no place');
    const n = step.get(place.label) ?? 0;
    step.set(place.label, n + 1);
    const text = (CYCLE[n % CYCLE.length] as (fa: string) => string)(`${fnKey(place.label)}:${aliasOf(i)}`);
    const { ack, response } = await world.command(text, person);
    if (ack.status !== 200) throw new Error(`${person}: ${text} acked ${ack.status}`);
    const answer = await response();
    if (answer.response_type !== 'in_channel') throw new Error(`${person}: ${text}: ${textOf(answer).slice(0, 300)}`);
  }
}

function row(
  calls: Record<string, number>,
  byPlace: Record<string, Record<string, number>>,
  sessions: readonly IssuedSession[],
  seconds: number,
): BenchRow {
  const total = calls['sts.AssumeRole'] ?? 0;
  const bots = sessions.filter((s) => s.sessionName === BOT_SESSION).length;
  // Every AssumeRole that was not for the bot's own session counts against people, failed ones included.
  const forPeople = total - bots;
  const pairs = new Map<string, number>();
  for (const s of sessions) {
    if (s.sessionName === BOT_SESSION) continue;
    const key = `${s.account}/${s.sessionName}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  const bound = ACCOUNTS.length * PEOPLE.length;
  const updates = PLACES.map((p) => `${p.label} ${byPlace[emulatorPlace(p)]?.['lambda.UpdateAlias'] ?? 0}`);
  const reads = PLACES.reduce((a, p) => a + (byPlace[emulatorPlace(p)]?.['lambda.GetAlias'] ?? 0), 0);
  return {
    name: `AssumeRole calls, ${COMMANDS} commands by ${PEOPLE.length} people over ${ACCOUNTS.length} accounts`,
    figure: forPeople,
    unit: 'calls',
    baseline: 'one per (account, person)',
    baselineFigure: bound,
    ratio: forPeople / bound,
    target: 'ratio ≤ 1',
    met: forPeople <= bound && [...pairs.values()].every((n) => n === 1),
    notes: `bot as a process; shift/promote/rollback over signed HTTP, ${PEOPLE.length} people at once, each waiting for their answer (all in_channel), ${seconds.toFixed(1)} s in all; ${PLACES.length} places (${PLACES.map((p) => p.label).join(', ')}); AssumeRole calls in all ${total}, of which the bot's own session ${bots} (one per account, for the alarm poller's sweeps), issued to people ${sessions.length - bots} over ${pairs.size} (account, person) pairs, at most ${Math.max(0, ...pairs.values())} each; UpdateAlias per place: ${updates.join(', ')}; GetAlias ${reads} (first change of each alias)`,
  };
}
