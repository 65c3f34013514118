/**
 * The panel's "At the AWS console": someone with console access moves an alias or publishes a
 * version, signed with their own IAM user's access key, so that to the emulator (and its CloudTrail)
 * it is their act, not the bot's and not the account root's. The bot notices it as a change made
 * outside the bot and names them.
 */
import {
  GetAliasCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';

/** An IAM user whose access key the emulator knows (`PUT /_emulator/principals`). */
export interface PanelUser {
  readonly name: string;
  readonly arn: string;
  /** Their account: their key acts there only. */
  readonly accountId: string;
  readonly accessKeyId: string;
}

/** What a user does, where. */
export type ConsoleAct =
  | { readonly kind: 'move'; readonly function: string; readonly alias: string; readonly version: string }
  | { readonly kind: 'publish'; readonly function: string };

export type ActResult =
  | { readonly kind: 'move'; readonly from: string; readonly to: string }
  /** `created` false: $LATEST had nothing new, and AWS answered with the newest version. */
  | { readonly kind: 'publish'; readonly version: string; readonly created: boolean };

export class IamUsers {
  private readonly clients = new Map<string, LambdaClient>();

  constructor(
    private readonly endpoint: string,
    private readonly users: readonly PanelUser[],
  ) {}

  /** The users as the page lists them; their keys stay here. */
  list(): { name: string; arn: string; accountId: string }[] {
    return this.users.map(({ name, arn, accountId }) => ({ name, arn, accountId }));
  }

  find(name: string): PanelUser | undefined {
    return this.users.find((u) => u.name === name);
  }

  /** Does `act` in `region` of the user's account, as they would at the console. AWS's refusals are thrown. */
  async act(user: PanelUser, region: string, act: ConsoleAct): Promise<ActResult> {
    const lambda = this.client(user, region);
    if (act.kind === 'move') {
      const before = await lambda.send(new GetAliasCommand({ FunctionName: act.function, Name: act.alias }));
      // The whole alias to one version, as the console's "Edit alias" does with no weighted version.
      const after = await lambda.send(
        new UpdateAliasCommand({
          FunctionName: act.function,
          Name: act.alias,
          FunctionVersion: act.version,
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      );
      return { kind: 'move', from: before.FunctionVersion ?? '?', to: after.FunctionVersion ?? act.version };
    }
    const newest = await newestVersion(lambda, act.function);
    const published = await lambda.send(
      new PublishVersionCommand({
        FunctionName: act.function,
        Description: `Published at the console by ${user.name}`,
      }),
    );
    const version = published.Version ?? '?';
    return { kind: 'publish', version, created: Number(version) > newest };
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }

  private client(user: PanelUser, region: string): LambdaClient {
    const key = `${user.accessKeyId}/${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new LambdaClient({
        endpoint: this.endpoint,
        region,
        credentials: { accessKeyId: user.accessKeyId, secretAccessKey: 'sandbox' },
        maxAttempts: 1,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

async function newestVersion(lambda: LambdaClient, fn: string): Promise<number> {
  let newest = 0;
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker: marker }));
    for (const v of page.Versions ?? []) newest = Math.max(newest, Number(v.Version) || 0);
    marker = page.NextMarker;
  } while (marker);
  return newest;
}
