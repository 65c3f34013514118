/**
 * The world of the outside-change benchmarks (outside-alert, outside-calls): functions seeded in the
 * emulator through the SDK as a team's CI would leave them (two versions, alias `live` on 1), the
 * person at the console (mallory, an IAM user of the place's account: `PUT /_emulator/principals`)
 * and the emulator's call log, read back per function.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { control } from '../test/emulator/support/target.js';

/** An account and region of the emulator: a 12-digit access key acts in that account. */
export interface Where {
  readonly account: string;
  readonly region: string;
}

export const fnName = (f: number) => `fn-${String(f).padStart(3, '0')}`;

/** `count` functions `fn-000`…, each with versions 1 and 2 and alias `live` on 1, made `batch` at a time. */
export async function seedFunctions(endpoint: string, where: Where, count: number, batch = 20): Promise<void> {
  const lambda = new LambdaClient({
    endpoint,
    region: where.region,
    credentials: { accessKeyId: where.account, secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const one = async (f: number) => {
    const FunctionName = fnName(f);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Role: `arn:aws:iam::${where.account}:role/lambda-role`,
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from(`${FunctionName}-1`) },
        Publish: true,
      }),
    );
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ZipFile: Buffer.from(`${FunctionName}-2`) }));
    await lambda.send(new PublishVersionCommand({ FunctionName }));
    await lambda.send(new CreateAliasCommand({ FunctionName, Name: 'live', FunctionVersion: '1' }));
  };
  try {
    for (let f = 0; f < count; f += batch)
      await Promise.all(Array.from({ length: Math.min(batch, count - f) }, (_, k) => one(f + k)));
  } finally {
    lambda.destroy();
  }
}

/** Someone at the console in `where`'s account: an IAM user the emulator names in CloudTrail. */
export class Mallory {
  readonly arn: string;
  private readonly lambda: LambdaClient;
  /** The version each function's `live` points at, as mallory last left it (seeded on 1). */
  private readonly live = new Map<string, string>();
  private published = new Map<string, number>();

  private constructor(endpoint: string, where: Where) {
    this.arn = `arn:aws:iam::${where.account}:user/mallory`;
    this.lambda = new LambdaClient({
      endpoint,
      region: where.region,
      credentials: { accessKeyId: `AKIDMALLORY${where.account}`, secretAccessKey: 'x' },
      // Her changes come seconds apart: a kept-alive socket the emulator closes (after 5 s idle) as she
      // sends is reset, and the SDK retries that, as it would against AWS.
      maxAttempts: 3,
    });
  }

  static async enter(endpoint: string, where: Where): Promise<Mallory> {
    const mallory = new Mallory(endpoint, where);
    await control(endpoint, 'PUT', '/_emulator/principals', {
      accessKeyId: `AKIDMALLORY${where.account}`,
      arn: mallory.arn,
    });
    return mallory;
  }

  /** Moves `live` of `fn` to the other of versions 1 and 2. */
  async moveAlias(fn: string): Promise<void> {
    const to = this.live.get(fn) === '2' ? '1' : '2';
    await this.lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: to }));
    this.live.set(fn, to);
  }

  /** Publishes a new version of `fn` by hand (new code first, as the console does). */
  async publish(fn: string): Promise<void> {
    const n = (this.published.get(fn) ?? 0) + 1;
    this.published.set(fn, n);
    await this.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: Buffer.from(`${fn}-hand-${n}`) }),
    );
    await this.lambda.send(new PublishVersionCommand({ FunctionName: fn, Description: 'by hand' }));
  }

  close(): void {
    this.lambda.destroy();
  }
}

/** One call of the emulator's call log (`GET /_emulator/call-log`), its time in epoch ms. */
export interface Call {
  readonly at: number;
  readonly operation: string;
  /** `account/region`. */
  readonly place: string;
  /** The function, from the REST path (`/2015-03-31/functions/NAME/…`); `''` for calls on no function. */
  readonly fn: string;
  readonly caller: string;
}

/** The Lambda calls the emulator received since `since` (epoch ms), oldest first. */
export async function lambdaCalls(endpoint: string, since: number): Promise<Call[]> {
  const log = (await control(
    endpoint,
    'GET',
    `/_emulator/call-log?service=lambda&since=${new Date(since).toISOString()}`,
  )) as { calls: { at: string; operation: string; place: string; path: string; caller?: string }[] };
  return log.calls.map((c) => ({
    at: Date.parse(c.at),
    operation: c.operation,
    place: c.place,
    fn: decodeURIComponent(/^\/[^/]+\/functions\/([^/]+)/.exec(c.path)?.[1] ?? ''),
    caller: c.caller ?? '',
  }));
}

/** A random sample of `n` distinct items of `from`. */
export function sample<T>(from: readonly T[], n: number): T[] {
  const pool = [...from];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}
