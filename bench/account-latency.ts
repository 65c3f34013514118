/**
 * Command latency on a function in another account, reached through a cached assumed-role session,
 * against the same function in the bot's own account (its own credentials), in the same run.
 *
 * The bot runs as a process and gets signed `/lambda` commands over HTTP, as in ack-status and
 * rollback-latency; a sample is from sending the command to its answer arriving on `response_url`:
 * the whole command a person waits for. Two commands, each judged on its own:
 * - `status FN`: the most frequent command, a read in the bot's session (ListAliases, Redis, answer);
 * - `rollback FN:staging V`: a write in the person's session (lock, audit records, UpdateAlias).
 * The two functions are seeded alike and are in the same region (us-east-1), so that the account,
 * and with it the session, is all that differs. Warm-up first (the sessions are assumed then and
 * cached), then rounds of samples interleaved one by one, alternating which goes first.
 */
import type { SeedFunction } from '../test/support/aws-world.js';
import { startWorld, textOf, type World } from '../test/support/world.js';
import { ACCOUNTS, accountsYaml, roles } from './accounts.js';
import { median, percentile, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const [PROD] = ACCOUNTS;
const REGION = 'us-east-1';
const OWN = 'checkout-own';
const OTHER = 'checkout-prod';
const WARMUP = 20;
const ROUNDS = 9;
const SAMPLES = 100;
const TARGET = 1.05;
/** Alternated, so that every rollback changes the alias. Both start on v1. */
const VERSIONS = ['2', '1'] as const;

const POLICY = `${accountsYaml()}channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE], approvers: [], responders: [] }
functions:
  ${OWN}: { name: checkout, aliases: { live: {}, staging: {} } }
  ${OTHER}: { account: ${PROD?.name}, region: ${REGION}, name: checkout, aliases: { live: {}, staging: {} } }
`;

const SEEDED: SeedFunction = { name: 'checkout', versions: 3, aliases: { live: '3', staging: '1' } };

interface Kind {
  readonly label: string;
  readonly session: string;
  /** A change is announced in the channel; a read answers the person alone. */
  readonly announced: boolean;
  /** The command's text for `fn`, the `n`-th time it is sent there. */
  readonly text: (fn: string, n: number) => string;
}

const KINDS: readonly Kind[] = [
  { label: 'status FN', session: "bot's session", announced: false, text: (fn) => `status ${fn}` },
  {
    label: 'rollback FN:staging V',
    session: "person's session",
    announced: true,
    text: (fn, n) => `rollback ${fn}:staging ${VERSIONS[n % 2]}`,
  },
];

export const accountLatency: Benchmark = {
  name: 'account-latency',
  async run(): Promise<BenchRow[]> {
    if (!PROD) throw new Error('no account');
    const world = await startWorld({
      policy: POLICY,
      functions: [SEEDED],
      places: [{ account: PROD.id, region: REGION, functions: [SEEDED] }],
      roles: roles(),
    });
    try {
      const rows: BenchRow[] = [];
      for (const kind of KINDS) rows.push(...(await measure(world, kind)));
      return rows;
    } finally {
      await world.close();
    }
  },
};

/** ms from sending the command to its answer on response_url; the answer must not be a refusal. */
async function timedCommand(world: World, text: string, announced: boolean): Promise<number> {
  const start = performance.now();
  const { ack, response } = await world.command(text);
  if (ack.status !== 200) throw new Error(`${text}: acked ${ack.status}`);
  const answer = await response();
  const ms = performance.now() - start;
  if (textOf(answer).includes(':x:') || (answer.response_type === 'in_channel') !== announced)
    throw new Error(`${text}: ${textOf(answer).slice(0, 300)}`);
  return ms;
}

async function measure(world: World, kind: Kind): Promise<BenchRow[]> {
  const sent = { [OWN]: 0, [OTHER]: 0 };
  const one = (fn: typeof OWN | typeof OTHER) => timedCommand(world, kind.text(fn, sent[fn]++), kind.announced);
  // Discarded: the prod sessions are assumed here and cached, the JIT warms up, connections open.
  for (let i = 0; i < WARMUP; i++) {
    await one(OWN);
    await one(OTHER);
  }
  const assumed = await assumeRoles(world);
  const own: number[][] = [];
  const other: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const o: number[] = [];
    const x: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      if ((round + i) % 2 === 0) {
        o.push(await one(OWN));
        x.push(await one(OTHER));
      } else {
        x.push(await one(OTHER));
        o.push(await one(OWN));
      }
    }
    own.push(o);
    other.push(x);
  }
  const assumedDuring = (await assumeRoles(world)) - assumed;
  const ratios = other.map((x, i) => median(x) / median(own[i] as number[]));
  const ratio = median(ratios);
  const what = `/lambda ${kind.label}, other account (cached role session) vs own account`;
  const baseline = 'own account, own credentials';
  const allOwn = own.flat();
  const allOther = other.flat();
  return [
    {
      name: `${what}: median`,
      figure: median(other.map(median)),
      unit: 'ms',
      baseline: `${baseline} (median)`,
      baselineFigure: median(own.map(median)),
      ratio,
      spread: spread(ratios),
      target: `ratio ≤ ${TARGET}`,
      met: ratio <= TARGET,
      notes: `bot as a process, signed HTTP, send → answer on response_url, one command at a time; AWS calls in the ${kind.session}; ${ROUNDS} rounds × ${SAMPLES} each way interleaved after ${WARMUP} warm-up each way; figures are medians of round medians, ratio the median of per-round ratios; AssumeRole calls during the measured rounds: ${assumedDuring}`,
    },
    {
      name: `${what}: p99`,
      figure: percentile(allOther, 99),
      unit: 'ms',
      baseline: `${baseline} (p99)`,
      baselineFigure: percentile(allOwn, 99),
      ratio: percentile(allOther, 99) / percentile(allOwn, 99),
      notes: `over all ${allOther.length} commands each way; max ${Math.max(...allOther).toFixed(1)} ms other account, ${Math.max(...allOwn).toFixed(1)} ms own`,
    },
  ];
}

async function assumeRoles(world: World): Promise<number> {
  return (await world.control<Record<string, number>>('GET', '/_emulator/calls'))['sts.AssumeRole'] ?? 0;
}
