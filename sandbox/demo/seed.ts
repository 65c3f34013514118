/**
 * Fills the emulator through the AWS SDK, as a team's CI and infrastructure code would have left a
 * real account: the demo functions with their versions and aliases, alarms on each alias's error
 * rate and p99 duration over 10-second periods (so that the demo reacts in seconds), and steady,
 * healthy traffic on every alias.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CREDENTIALS, REGION } from './account.js';
import { type DemoFunction, type DemoVersion, FUNCTIONS, HEALTHY_ERROR_RATE, TRAFFIC_RPS } from './functions.js';

const ROLE = 'arn:aws:iam::000000000000:role/lambda-release-demo';
const BUCKET = 'acme-lambda-artifacts';
/** Seconds per alarm period: CloudWatch's high-resolution alarms go down to 10 s. */
export const ALARM_PERIOD_S = 10;
export const ERROR_RATE_THRESHOLD = 5;
export const P99_THRESHOLD_MS = 1000;

export interface SeedReport {
  readonly functions: number;
  readonly versions: number;
  readonly alarms: number;
}

export async function seedDemo(endpoint: string): Promise<SeedReport> {
  const config = { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const lambda = new LambdaClient(config);
  const cloudwatch = new CloudWatchClient(config);
  try {
    const alarms = await Promise.all(
      FUNCTIONS.map(async (f) => {
        await seedFunction(lambda, f);
        const names = await seedAlarms(cloudwatch, f);
        await healthyTraffic(endpoint, f);
        return names;
      }),
    );
    return {
      functions: FUNCTIONS.length,
      versions: FUNCTIONS.reduce((n, f) => n + f.versions.length, 0),
      alarms: alarms.flat().length,
    };
  } finally {
    lambda.destroy();
    cloudwatch.destroy();
  }
}

async function seedFunction(lambda: LambdaClient, f: DemoFunction): Promise<void> {
  const [first] = f.versions;
  if (!first) throw new Error(`${f.name} has no versions`);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: f.name,
      Runtime: f.runtime,
      Role: ROLE,
      Handler: f.handler,
      Code: artifact(f, first),
      MemorySize: f.memory,
      Timeout: f.timeout,
      Environment: { Variables: variables(f.env) },
      Description: first.description,
    }),
  );
  let settings = { memory: f.memory, timeout: f.timeout, env: [...f.env] };
  for (const [i, v] of f.versions.entries()) {
    settings = {
      memory: v.memory ?? settings.memory,
      timeout: v.timeout ?? settings.timeout,
      env: [...settings.env, ...(v.env ?? [])],
    };
    if (i > 0) await deploy(lambda, f, v, settings);
    await lambda.send(new PublishVersionCommand({ FunctionName: f.name, Description: v.description }));
  }
  for (const [alias, version] of Object.entries(f.aliases)) {
    await lambda.send(new CreateAliasCommand({ FunctionName: f.name, Name: alias, FunctionVersion: String(version) }));
  }
  if (f.unpublished) await deploy(lambda, f, f.unpublished, settings);
}

/** What a CI job does for each build: new code, then the configuration that goes with it. */
async function deploy(
  lambda: LambdaClient,
  f: DemoFunction,
  v: DemoVersion,
  settings: { memory: number; timeout: number; env: string[] },
): Promise<void> {
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: f.name, ...artifact(f, v) }));
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: f.name,
      MemorySize: settings.memory,
      Timeout: settings.timeout,
      Environment: { Variables: variables(settings.env) },
    }),
  );
}

function artifact(f: DemoFunction, v: DemoVersion): { S3Bucket: string; S3Key: string } {
  return { S3Bucket: BUCKET, S3Key: `${f.name}/${v.commit}.zip` };
}

/** Values are made up and never shown: the bot only ever names environment variables. */
function variables(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `demo-${n.toLowerCase()}`]));
}

/** Per alias: the error rate (errors / invocations, in %) and p99 duration, each over 10 s. */
async function seedAlarms(cloudwatch: CloudWatchClient, f: DemoFunction): Promise<string[]> {
  const names: string[] = [];
  for (const alias of Object.keys(f.aliases)) {
    const dimensions = [
      { Name: 'FunctionName', Value: f.name },
      { Name: 'Resource', Value: `${f.name}:${alias}` },
    ];
    const stat = (id: string, metric: string) => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions },
        Period: ALARM_PERIOD_S,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    const errors = `${f.name}-${alias}-error-rate`;
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: errors,
        AlarmDescription: `More than ${ERROR_RATE_THRESHOLD}% of ${f.name}:${alias} invocations fail`,
        Metrics: [
          stat('errors', 'Errors'),
          stat('invocations', 'Invocations'),
          // The period of an expression's datapoints: given, or the emulator evaluates it per minute.
          {
            Id: 'rate',
            Expression: '100 * errors / invocations',
            Label: 'Error rate (%)',
            Period: ALARM_PERIOD_S,
            ReturnData: true,
          },
        ],
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: ERROR_RATE_THRESHOLD,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const p99 = `${f.name}-${alias}-p99`;
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: p99,
        AlarmDescription: `p99 duration of ${f.name}:${alias} above ${P99_THRESHOLD_MS} ms`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: dimensions,
        ExtendedStatistic: 'p99',
        Unit: 'Milliseconds',
        Period: ALARM_PERIOD_S,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: P99_THRESHOLD_MS,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    names.push(errors, p99);
  }
  return names;
}

/** Steady invocations on each alias, every version healthy (the console's panel changes that). */
async function healthyTraffic(endpoint: string, f: DemoFunction): Promise<void> {
  for (const alias of Object.keys(f.aliases) as (keyof typeof TRAFFIC_RPS)[]) {
    const response = await fetch(`${endpoint}/_emulator/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        region: REGION,
        function: f.name,
        alias,
        rps: TRAFFIC_RPS[alias],
        versions: {},
        default: { errorRate: HEALTHY_ERROR_RATE, durationMs: f.durationMs },
      }),
    });
    if (!response.ok) throw new Error(`emulator refused traffic for ${f.name}:${alias}: ${await response.text()}`);
  }
}
