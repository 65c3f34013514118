/**
 * The emulator as the page's side panel sees it, one account and region at a time: functions,
 * their versions and aliases, alarm states and simulated traffic (read through the AWS SDK and the
 * traffic API), and "make it fail": one version's error rate and latency on one alias in one place,
 * changed through the emulator's traffic API. Below them, the audit archive's segments (archive-view.ts).
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { type ArchivePlace, type ArchiveSnapshot, ArchiveView } from './archive-view.js';

/** One account in one region, as the panel shows it. */
export interface PanelPlace {
  /** The policy's name for the account. */
  readonly account: string;
  readonly accountId: string;
  readonly region: string;
  /** AWS name → the name /lambda commands use for it, for the functions the policy has here. */
  readonly keys: Readonly<Record<string, string>>;
}

export interface Profile {
  readonly errorRate: number;
  readonly durationMs: number;
}

interface Simulation {
  account: string;
  region: string;
  function: string;
  alias: string;
  rps: number;
  versions: Record<string, Profile>;
  default: Profile;
}

export interface Failure extends Profile {
  readonly accountId: string;
  readonly region: string;
  readonly function: string;
  readonly alias: string;
  readonly version: string;
}

interface Clients {
  readonly place: PanelPlace;
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
}

const at = (accountId: string, region: string) => `${accountId}/${region}`;

export class AwsPanel {
  private readonly clients: Clients[];
  private readonly archive?: ArchiveView;

  constructor(
    private readonly endpoint: string,
    places: readonly PanelPlace[],
    archive?: ArchivePlace,
  ) {
    if (archive) this.archive = new ArchiveView(endpoint, archive);
    // The panel is the AWS console, not the bot: it looks as each account's root (a 12-digit access
    // key ID is that account to the emulator), never through the bot's roles or sessions.
    this.clients = places.map((place) => {
      const config = {
        endpoint,
        region: place.region,
        credentials: { accessKeyId: place.accountId, secretAccessKey: 'sandbox' },
        maxAttempts: 1,
      };
      return { place, lambda: new LambdaClient(config), cloudwatch: new CloudWatchClient(config) };
    });
  }

  /** Whether the panel shows this account and region (and so may change traffic there). */
  knows(accountId: string, region: string): boolean {
    return this.clients.some((c) => at(c.place.accountId, c.place.region) === at(accountId, region));
  }

  async snapshot(): Promise<{ places: unknown[]; archive?: ArchiveSnapshot }> {
    const [traffic, archive] = await Promise.all([this.simulations(), this.archive?.snapshot()]);
    return {
      places: await Promise.all(this.clients.map((c) => this.placeView(c, traffic))),
      ...(archive ? { archive } : {}),
    };
  }

  /** Sets how one version behaves on one alias, keeping everything else of the alias's traffic. */
  async setFailure(f: Failure): Promise<void> {
    const current = (await this.simulations()).find(
      (s) => at(s.account, s.region) === at(f.accountId, f.region) && s.function === f.function && s.alias === f.alias,
    );
    const spec: Simulation = current ?? {
      account: f.accountId,
      region: f.region,
      function: f.function,
      alias: f.alias,
      rps: 10,
      versions: {},
      default: { errorRate: 0, durationMs: 100 },
    };
    spec.versions[f.version] = { errorRate: f.errorRate, durationMs: f.durationMs };
    await this.control('PUT', '/_emulator/traffic', spec);
  }

  destroy(): void {
    this.archive?.destroy();
    for (const c of this.clients) {
      c.lambda.destroy();
      c.cloudwatch.destroy();
    }
  }

  private async placeView({ place, lambda, cloudwatch }: Clients, traffic: Simulation[]): Promise<unknown> {
    const [functions, alarms] = await Promise.all([
      lambda.send(new ListFunctionsCommand({})),
      cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100 })),
    ]);
    const here = traffic.filter((t) => at(t.account, t.region) === at(place.accountId, place.region));
    const names = (functions.Functions ?? []).map((f) => f.FunctionName ?? '').sort();
    return {
      account: place.account,
      accountId: place.accountId,
      region: place.region,
      functions: await Promise.all(
        names.map(async (name) => {
          const [versions, aliases] = await Promise.all([
            lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name })),
            lambda.send(new ListAliasesCommand({ FunctionName: name })),
          ]);
          return {
            name,
            ...(place.keys[name] ? { key: place.keys[name] } : {}),
            versions: (versions.Versions ?? [])
              .filter((v) => v.Version !== '$LATEST')
              .map((v) => ({ version: v.Version, description: v.Description ?? '' })),
            aliases: (aliases.Aliases ?? []).map((a) => ({
              name: a.Name,
              version: a.FunctionVersion,
              additional: a.RoutingConfig?.AdditionalVersionWeights ?? {},
              traffic: here.find((t) => t.function === name && t.alias === a.Name),
            })),
            alarms: [...(alarms.MetricAlarms ?? []), ...(alarms.CompositeAlarms ?? [])]
              .filter((al) => al.AlarmName?.startsWith(`${name}-`))
              .map((al) => ({ name: al.AlarmName, state: al.StateValue })),
          };
        }),
      ),
    };
  }

  private async simulations(): Promise<Simulation[]> {
    const list = (await this.control('GET', '/_emulator/traffic')) as { simulations?: Simulation[] };
    return list.simulations ?? [];
  }

  private async control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(answer.error ?? `emulator answered ${response.status}`);
    return answer;
  }
}
