/**
 * What else goes on during a drill: canaries stepping one after another (ten 1-second steps from
 * v1 to v2, each on a fresh alias), and an alarm going into ALARM and back every few seconds, so
 * that the alarm poller raises, posts and resolves alerts while primaries die.
 */
import { putLambdaAlarm, setAlarm } from '../../support/alarms.js';
import { SIGNING_SECRET } from '../../support/bot-process.js';
import { sendCommand } from '../../support/slack-requests.js';
import { textOf } from '../../support/world.js';
import { auditReader } from './settle.js';
import { ALARM, ALARM_FN, CANARY_ALIASES, CANARY_FN, CANARY_PERSON, type DrillWorld } from './world.js';

export const CANARY_STEPS = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
/** How long the last canary may take to finish once the drill stops: its steps, and a failover's delay. */
const FINISH_LIMIT_MS = 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts canaries one at a time; a start refused for Redis moves on to the next alias. */
export class Canaries {
  /** Aliases whose rollout was started (the answer said so). */
  readonly started: string[] = [];
  /** Aliases whose start was refused with "Redis is unavailable": nothing there may move. */
  readonly refused: string[] = [];
  /** Answers that were neither (a bug for this drill). */
  readonly odd: string[] = [];
  private stopping = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly drill: DrillWorld) {}

  start(): void {
    this.running = this.work();
  }

  /** Starts no more; resolves once every canary started has finished (or the limit passed: the checks say which did not). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    const deadline = performance.now() + FINISH_LIMIT_MS;
    // Finished is more than at 100% in AWS: the rollout completes (and records it) at its next tick.
    const log = await auditReader(this.drill);
    try {
      for (const alias of this.started) {
        const done = async () => (await this.finished(alias)) && (await log.completed(CANARY_FN, alias));
        while (!(await done()) && performance.now() < deadline) await sleep(250);
      }
    } finally {
      log.close();
    }
  }

  async finished(alias: string): Promise<boolean> {
    const last = (await this.drill.history(CANARY_FN, alias)).filter((c) => c.operation === 'UpdateAlias').at(-1);
    return last?.functionVersion === '2' && Object.keys(last.routing).length === 0;
  }

  private async work(): Promise<void> {
    for (const [n, alias] of CANARY_ALIASES.entries()) {
      if (this.stopping) return;
      const answer = await this.ask(`canary ${CANARY_FN}:${alias} 2 --steps ${CANARY_STEPS.join(',')} --every 1s`, n);
      if (/Rollout of \S+ started/.test(answer)) {
        this.started.push(alias);
        // One canary at a time: the next starts once this one has stepped to the end.
        while (!this.stopping && !(await this.finished(alias))) await sleep(250);
      } else if (/Redis is unavailable.*Nothing was changed/s.test(answer)) {
        this.refused.push(alias);
        await sleep(300);
      } else {
        this.odd.push(`${alias}: ${answer}`);
      }
    }
    this.odd.push('the drill ran out of canary aliases');
  }

  private async ask(text: string, n: number): Promise<string> {
    const { world, bots } = this.drill;
    const reply = world.slack.newResponseUrl();
    const url = bots[n % bots.length]?.url ?? world.bot.url;
    const ack = await sendCommand(url, SIGNING_SECRET, { text, user_id: CANARY_PERSON, response_url: reply.url });
    if (ack.status !== 200) return `ack ${ack.status}`;
    const body = await world.slack.waitForResponse(reply.id, () => true, 30_000).catch(() => undefined);
    return body ? textOf(body) : 'no answer';
  }
}

/** Turns one alarm on and off every 2–5 s; each turn is a second later on the emulator's clock, as in AWS. */
export class FlappingAlarm {
  /** Times it went into ALARM: each may be alerted once, never twice. */
  raised = 0;
  private stopping = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly drill: DrillWorld) {}

  async start(): Promise<void> {
    await putLambdaAlarm(this.drill.cloudwatch, ALARM, { fn: ALARM_FN, alias: 'live' });
    this.running = this.work();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async work(): Promise<void> {
    const { world } = this.drill;
    for (let on = true; !this.stopping; on = !on) {
      await sleep(2000 + Math.random() * 3000);
      await world.control('POST', '/_emulator/clock/advance', { ms: 1000 });
      await setAlarm(this.drill.cloudwatch, ALARM, on ? 'ALARM' : 'OK');
      if (on) this.raised++;
    }
  }
}
