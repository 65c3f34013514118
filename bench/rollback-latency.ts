/**
 * Rollback latency, command → alias updated: from sending a signed `/lambda rollback
 * payments-api:staging N` to the moment the emulator applies the UpdateAlias, against the floor
 * of any audited change: one raw XADD of a record of the same bytes, then one raw SDK
 * UpdateAlias, sequentially from this process (write-ahead order, as the bot does it). Both are
 * timed with the same instrument: the emulator (real clock) stamps every alias change in
 * `GET /_emulator/alias-history`, so the end is the change itself, not a reply seen later, and
 * nothing polls while the bot works. Run twice: with the emulator answering at once, and with
 * 30 ms injected on every Lambda call (the fault API's `latencyMs`), since real AWS is tens of
 * milliseconds away and the ratio depends on it.
 */
import { CreateAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { redisKeys } from '../src/adapters/redis/keys.js';
import { SIGNING_SECRET } from '../test/support/bot-process.js';
import { sendCommand } from '../test/support/slack-requests.js';
import { startWorld, type World } from '../test/support/world.js';
import { median, percentile, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const FN = 'payments-api';
/** The alias the bot rolls back (unprotected in the test policy), and the one the floor updates. */
const ALIAS = 'staging';
const FLOOR_ALIAS = 'bench-floor';
/** Alternated, so that every rollback changes something. The world starts staging on 3. */
const VERSIONS = ['4', '3'] as const;
const ROUNDS = 7;
const SAMPLES = 60;
const WARMUP = 5;
const TARGET = 1.3;

interface Setting {
  readonly label: string;
  readonly latencyMs: number;
  /** The setting the target is judged on. */
  readonly judged: boolean;
}

const SETTINGS: readonly Setting[] = [
  { label: 'AWS at once', latencyMs: 0, judged: false },
  { label: 'AWS +30 ms a call', latencyMs: 30, judged: true },
];

interface AliasChange {
  readonly at: string;
  readonly functionVersion: string;
  readonly operation: string;
}

/** Wall-clock milliseconds with a fraction: the emulator stamps changes with Date.now(). */
const wallNow = () => performance.timeOrigin + performance.now();

export const rollbackLatency: Benchmark = {
  name: 'rollback-latency',
  async run(): Promise<BenchRow[]> {
    const world = await startWorld({ clock: 'real' });
    try {
      const created = await world.lambda.send(
        new CreateAliasCommand({ FunctionName: FN, Name: FLOOR_ALIAS, FunctionVersion: '3' }),
      );
      const subjects = new Subjects(world, created.RevisionId ?? '');
      const rows: BenchRow[] = [];
      for (const setting of SETTINGS) {
        await world.control('PUT', '/_emulator/faults', {
          rules: setting.latencyMs > 0 ? [{ service: 'lambda', operation: '*', latencyMs: setting.latencyMs }] : [],
        });
        rows.push(...(await measureSetting(subjects, setting)));
      }
      return rows;
    } finally {
      await world.control('DELETE', '/_emulator/faults').catch(() => {});
      await world.close();
    }
  },
};

/** The two ways of changing an alias, each returning ms from start to the change in the emulator. */
class Subjects {
  private turn = 0;
  private floorTurn = 0;
  /** The bytes the floor XADDs: the bot's own intent record, once it has written one. */
  private record = '';
  private readonly floorKey: string;

  constructor(
    readonly world: World,
    private floorRevision: string,
  ) {
    // Under the world's prefix, so that closing the world removes it with the bot's keys.
    this.floorKey = `${world.prefix}bench-floor`;
  }

  async bot(): Promise<number> {
    const version = VERSIONS[this.turn++ % 2] as string;
    const { id, url } = this.world.slack.newResponseUrl();
    const before = (await this.history(ALIAS)).length;
    const start = wallNow();
    const ack = await sendCommand(this.world.bot.url, SIGNING_SECRET, {
      text: `rollback ${FN}:${ALIAS} ${version}`,
      response_url: url,
    });
    if (ack.status !== 200) throw new Error(`bot acked ${ack.status}`);
    // The whole command, so that no run overlaps the previous one's tail (outcome record, answer).
    const answer = await this.world.slack.waitForResponse(id);
    if (answer.response_type !== 'in_channel') throw new Error(`rollback refused: ${JSON.stringify(answer.text)}`);
    return changedAt(await this.history(ALIAS), before, version) - start;
  }

  async floor(): Promise<number> {
    const version = VERSIONS[this.floorTurn++ % 2] as string;
    if (!this.record) this.record = await this.intentRecord();
    const before = (await this.history(FLOOR_ALIAS)).length;
    const start = wallNow();
    await this.world.redis.xadd(this.floorKey, '*', 'rec', this.record);
    const out = await this.world.lambda.send(
      new UpdateAliasCommand({
        FunctionName: FN,
        Name: FLOOR_ALIAS,
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: this.floorRevision,
      }),
    );
    this.floorRevision = out.RevisionId ?? '';
    return changedAt(await this.history(FLOOR_ALIAS), before, version) - start;
  }

  /** Bytes of the bot's last intent record ("pending"), as stored in the audit stream. */
  private async intentRecord(): Promise<string> {
    const entries = await this.world.redis.xrevrange(redisKeys(this.world.prefix).auditLog, '+', '-', 'COUNT', 20);
    for (const [, fields] of entries) {
      const rec = fields[1];
      if (rec?.includes('"result":"pending"')) return rec;
    }
    throw new Error('the bot wrote no intent record');
  }

  private history(alias: string): Promise<AliasChange[]> {
    return this.world.control<AliasChange[]>('GET', `/_emulator/alias-history?function=${FN}&alias=${alias}`);
  }
}

/**
 * When the emulator applied the one change since `before`, in wall-clock ms. Its stamp is
 * Date.now(), whole milliseconds: the change happened within the millisecond after it, so the
 * middle of that millisecond is taken (unbiased, ±0.5 ms a sample).
 */
function changedAt(history: readonly AliasChange[], before: number, version: string): number {
  const change = history[before];
  if (history.length !== before + 1 || change?.functionVersion !== version || change.operation !== 'UpdateAlias') {
    throw new Error(`expected one UpdateAlias to v${version}, found ${JSON.stringify(history.slice(before))}`);
  }
  return Date.parse(change.at.replace('+0000', 'Z')) + 0.5;
}

async function measureSetting(subjects: Subjects, setting: Setting): Promise<BenchRow[]> {
  const { slack } = subjects.world;
  // Discarded: JIT, connections, the bot's first read of the alias (later ones start from memory).
  for (let i = 0; i < WARMUP; i++) {
    await subjects.bot();
    await subjects.floor();
  }
  const bot: number[][] = [];
  const floor: number[][] = [];
  // The policy check reads a Slack user group (TEST_POLICY names one) now and then; count it.
  const groupReads = slack.callsTo('usergroups.users.list').length;
  // A rollback should cost one Lambda call (the bot starts from the state it remembers): count them.
  const lambdaCalls = await subjects.world.control<Record<string, number>>('GET', '/_emulator/calls');
  for (let round = 0; round < ROUNDS; round++) {
    const b: number[] = [];
    const f: number[] = [];
    // Alternate which goes first each round, and interleave within it, so that drift hits both.
    for (let i = 0; i < SAMPLES; i++) {
      if ((round + i) % 2 === 0) {
        b.push(await subjects.bot());
        f.push(await subjects.floor());
      } else {
        f.push(await subjects.floor());
        b.push(await subjects.bot());
      }
    }
    bot.push(b);
    floor.push(f);
  }
  const groupReadsDuring = slack.callsTo('usergroups.users.list').length - groupReads;
  const callsNow = await subjects.world.control<Record<string, number>>('GET', '/_emulator/calls');
  const lambdaDuring = Object.entries(callsNow)
    .map(([op, n]) => [op, n - (lambdaCalls[op] ?? 0)] as const)
    .filter(([op, n]) => op.startsWith('lambda.') && n > 0)
    .map(([op, n]) => `${op.slice('lambda.'.length)} ${n}`)
    .join(', ');
  const ratios = bot.map((b, i) => median(b) / median(floor[i] as number[]));
  const allBot = bot.flat();
  const allFloor = floor.flat();
  const p99 = percentile(allBot, 99);
  const floorP99 = percentile(allFloor, 99);
  const what = `rollback → alias updated, ${setting.label}`;
  const baseline = 'XADD + UpdateAlias (floor)';
  const ratio = median(ratios);
  return [
    {
      name: `${what}: median`,
      figure: median(bot.map(median)),
      unit: 'ms',
      baseline,
      baselineFigure: median(floor.map(median)),
      ratio,
      ...(setting.judged ? { target: `ratio ≤ ${TARGET}`, met: ratio <= TARGET } : { target: 'none: see notes' }),
      spread: spread(ratios),
      notes: `${ROUNDS} rounds × ${SAMPLES} changes each way, interleaved, after ${WARMUP} warm-up; figures are medians of the round medians, ratio the median of per-round ratios; end = the emulator's alias-history stamp (real clock); Lambda calls meanwhile (bot and floor): ${lambdaDuring}; usergroups.users.list calls by the bot: ${groupReadsDuring}`,
    },
    {
      name: `${what}: p99`,
      figure: p99,
      unit: 'ms',
      baseline,
      baselineFigure: floorP99,
      ratio: p99 / floorP99,
      notes: `over all ${allBot.length} changes each way; bot max ${Math.max(...allBot).toFixed(1)} ms, floor max ${Math.max(...allFloor).toFixed(1)} ms`,
    },
  ];
}
