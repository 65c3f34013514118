/**
 * Ten people at work during a drill: each, in a loop, looks at their own alias (as `status` would
 * show it), sends a signed `/lambda` command that makes sense for it (promote, shift or rollback to
 * another version; now and then a publish, after their CI pushed new code), waits for the answer,
 * and thinks a moment. Every answer is kept, classified, with when it was sent and answered.
 */
import { UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { handlerZip } from '../../emulator/support/zip.js';
import { SIGNING_SECRET } from '../../support/bot-process.js';
import { sendCommand } from '../../support/slack-requests.js';
import { textOf } from '../../support/world.js';
import type { DrillWorld } from './world.js';
import { functionOf, PEOPLE, SEEDED_VERSIONS } from './world.js';

export type AnswerKind =
  /** The change (or publish) was made and its outcome recorded: the answer names the record. */
  | 'done'
  /** The change was made, but its outcome could not be recorded: the answer says so. */
  | 'unrecorded'
  /** Refused because Redis could not take the audit record: "Nothing was changed". */
  | 'refused'
  /** Refused because the alias's lock is held ("being changed by another request … by <@holder>"). */
  | 'busy'
  /** Any other answer (a bug for this drill: every command it sends is valid). */
  | 'other'
  /** No answer within the limit. */
  | 'none';

export interface Answer {
  readonly person: string;
  readonly command: string;
  readonly fn: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly kind: AnswerKind;
  /** The record the answer named (`Audit record #N`). */
  readonly auditId?: string;
  /** The request a refusal named: nothing of it may be recorded as done. */
  readonly requestId?: string;
  /** Whose request holds the lock, when `busy`. */
  readonly holder?: string;
  readonly text: string;
}

/** Slack allows 30 minutes on response_url; a person in the drill waits this long before calling it unanswered. */
const ANSWER_LIMIT_MS = 30_000;
const REFUSED = /Redis is unavailable, so the audit log cannot be written\. Nothing was changed\./;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

export class People {
  readonly answers: Answer[] = [];
  private stopping = false;
  private running: Promise<void>[] = [];
  private pushes = 0;

  constructor(private readonly drill: DrillWorld) {}

  start(): void {
    this.running = PEOPLE.map((person, i) => this.work(person, i));
  }

  /** Stops sending; resolves once every command sent has its answer (or its limit passed). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /**
   * When the bot served again after an outage: the first answer, after `promotedAt`, of a change
   * made and recorded that was asked for after the kill (`killedAt`).
   */
  servedAgain(killedAt: number, promotedAt: number): number | undefined {
    const served = this.answers.filter((a) => a.kind === 'done' && a.sentAt >= killedAt && a.answeredAt >= promotedAt);
    return served.length === 0 ? undefined : Math.min(...served.map((a) => a.answeredAt));
  }

  private async work(person: string, lane: number): Promise<void> {
    const fn = functionOf(person);
    // Staggered, so that the ten do not move in step.
    await sleep(Math.random() * 500);
    for (let n = 0; !this.stopping; n++) {
      const command = await this.choose(fn);
      const bot = this.drill.bots[(lane + n) % this.drill.bots.length];
      if (bot) this.answers.push(await ask(this.drill, bot.url, person, fn, command));
      await sleep(100 + Math.random() * 400);
    }
  }

  /** A command that is valid for the alias as it is now, so that only Redis can make it fail. */
  private async choose(fn: string): Promise<string> {
    if (Math.random() < 0.1) {
      // CI pushed new code: the publish makes a new version (or is refused, leaving it for the next).
      const code = handlerZip(`${fn}-push-${++this.pushes}`);
      await this.drill.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: code }));
      return `publish ${fn}`;
    }
    const now = await this.drill.routing(fn, 'live');
    const others = Array.from({ length: SEEDED_VERSIONS }, (_, i) => String(i + 1)).filter((v) => v !== now.primary);
    const version = pick(others);
    switch (pick(['promote', 'shift', 'rollback'] as const)) {
      case 'promote':
        return `promote ${fn}:live ${version}`;
      case 'shift':
        return `shift ${fn}:live ${version} ${pick([10, 25, 50])}`;
      case 'rollback':
        return `rollback ${fn}:live ${version}`;
    }
  }
}

/** Sends one signed command as `person` to the bot at `url` and waits for its answer, classified. */
export async function ask(
  drill: DrillWorld,
  url: string,
  person: string,
  fn: string,
  command: string,
): Promise<Answer> {
  const { slack } = drill.world;
  const reply = slack.newResponseUrl();
  const sentAt = performance.now();
  const base = { person, command, fn, sentAt };
  const ack = await sendCommand(url, SIGNING_SECRET, { text: command, user_id: person, response_url: reply.url });
  if (ack.status !== 200) return { ...base, answeredAt: performance.now(), kind: 'other', text: `ack ${ack.status}` };
  // A publish may first say it waits for Lambda; the answer is what follows.
  const final = (body: Record<string, unknown>) => !textOf(body).includes('publishing as soon as it finishes');
  const body = await slack.waitForResponse(reply.id, final, ANSWER_LIMIT_MS).catch(() => undefined);
  const answeredAt = performance.now();
  if (!body) return { ...base, answeredAt, kind: 'none', text: '' };
  return { ...base, answeredAt, ...classify(body) };
}

function classify(body: Record<string, unknown>): Pick<Answer, 'kind' | 'auditId' | 'requestId' | 'holder' | 'text'> {
  const text = textOf(body);
  if (body.response_type === 'in_channel') {
    const unrecorded = /Redis failed before (its|the) outcome was recorded/.test(text);
    const auditId = /Audit record #(\d+)/.exec(text)?.[1];
    return { kind: unrecorded ? 'unrecorded' : 'done', ...(auditId ? { auditId } : {}), text };
  }
  const requestId = /Request `([^`]+)`/.exec(text)?.[1];
  const holder = /is being changed by another request \(\w+\) by <@(\w+)>/.exec(text)?.[1];
  const kind = REFUSED.test(text) ? 'refused' : holder ? 'busy' : 'other';
  return { kind, ...(requestId ? { requestId } : {}), ...(holder ? { holder } : {}), text };
}
