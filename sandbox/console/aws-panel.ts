/**
 * The emulator as the page's side panel sees it: functions, their versions and aliases, alarm
 * states and simulated traffic (read through the AWS SDK and the traffic API), and "make it fail":
 * one version's error rate and latency on one alias, changed through the emulator's traffic API.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';

export interface Profile {
  readonly errorRate: number;
  readonly durationMs: number;
}

interface Simulation {
  region: string;
  function: string;
  alias: string;
  rps: number;
  versions: Record<string, Profile>;
  default: Profile;
}

export interface Failure extends Profile {
  readonly function: string;
  readonly alias: string;
  readonly version: string;
}

export class AwsPanel {
  private readonly lambda: LambdaClient;
  private readonly cloudwatch: CloudWatchClient;

  constructor(
    private readonly endpoint: string,
    private readonly region: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
  ) {
    const config = { endpoint, region, credentials, maxAttempts: 1 };
    this.lambda = new LambdaClient(config);
    this.cloudwatch = new CloudWatchClient(config);
  }

  async snapshot(): Promise<unknown> {
    const [functions, alarms, traffic] = await Promise.all([
      this.lambda.send(new ListFunctionsCommand({})),
      this.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100 })),
      this.simulations(),
    ]);
    const names = (functions.Functions ?? []).map((f) => f.FunctionName ?? '').sort();
    return {
      functions: await Promise.all(
        names.map(async (name) => {
          const [versions, aliases] = await Promise.all([
            this.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name })),
            this.lambda.send(new ListAliasesCommand({ FunctionName: name })),
          ]);
          return {
            name,
            versions: (versions.Versions ?? [])
              .filter((v) => v.Version !== '$LATEST')
              .map((v) => ({ version: v.Version, description: v.Description ?? '' })),
            aliases: (aliases.Aliases ?? []).map((a) => ({
              name: a.Name,
              version: a.FunctionVersion,
              additional: a.RoutingConfig?.AdditionalVersionWeights ?? {},
              traffic: traffic.find((t) => t.function === name && t.alias === a.Name),
            })),
            alarms: [...(alarms.MetricAlarms ?? []), ...(alarms.CompositeAlarms ?? [])]
              .filter((al) => al.AlarmName?.startsWith(`${name}-`))
              .map((al) => ({ name: al.AlarmName, state: al.StateValue })),
          };
        }),
      ),
    };
  }

  /** Sets how one version behaves on one alias, keeping everything else of the alias's traffic. */
  async setFailure(f: Failure): Promise<void> {
    const current = (await this.simulations()).find((s) => s.function === f.function && s.alias === f.alias);
    const spec: Simulation = current ?? {
      region: this.region,
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
    this.lambda.destroy();
    this.cloudwatch.destroy();
  }

  private async simulations(): Promise<Simulation[]> {
    const list = (await this.control('GET', '/_emulator/traffic')) as { simulations?: Simulation[] };
    return (list.simulations ?? []).filter((s) => s.region === this.region);
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
