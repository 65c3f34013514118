/**
 * Fills the emulator through the AWS SDK, as a team's CI and infrastructure code would have left
 * real accounts: each function in its account and region with its versions and aliases, alarms on
 * each alias's error rate and p99 duration over 10-second periods (so that the demo reacts in
 * seconds), and steady, healthy traffic on every alias; and the audit archive's bucket, with Object
 * Lock (archive.ts). (The bot's roles are made before, by grantRoles.)
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
import { type BucketLocationConstraint, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type DemoPlace, rootOf } from './account.js';
import { ARCHIVE, type DemoArchive } from './archive.js';
import {
  type AliasName,
  DEPLOYMENTS,
  type DemoDeployment,
  type DemoFunction,
  type DemoVersion,
  HEALTHY_ERROR_RATE,
  TRAFFIC_RPS,
} from './functions.js';

const BUCKET = 'acme-lambda-artifacts';
/** Seconds per alarm period: CloudWatch's high-resolution alarms go down to 10 s. */
export const ALARM_PERIOD_S = 10;
export const ERROR_RATE_THRESHOLD = 5;
export const P99_THRESHOLD_MS = 1000;

export interface SeedReport {
  readonly functions: number;
  readonly versions: number;
  readonly alarms: number;
  /** Where the bot archives its audit log, as `s3://bucket/prefix`. */
  readonly archive: string;
}

export async function seedDemo(endpoint: string): Promise<SeedReport> {
  const [alarms] = await Promise.all([seedDeployments(endpoint), createArchiveBucket(endpoint)]);
  return {
    functions: DEPLOYMENTS.length,
    versions: DEPLOYMENTS.reduce((n, d) => n + d.fn.versions.length, 0),
    alarms: alarms.length,
    archive: `s3://${ARCHIVE.bucket}/${ARCHIVE.prefix}`,
  };
}

/** Each deployment in its own place, at once; the names of the alarms made. */
async function seedDeployments(endpoint: string): Promise<string[]> {
  const alarms = await Promise.all(
    DEPLOYMENTS.map(async (d) => {
      // As that account's own pipeline: a 12-digit key acts in that account, the region is the client's.
      const config = { endpoint, region: d.place.region, credentials: rootOf(d.place.account), maxAttempts: 1 };
      const lambda = new LambdaClient(config);
      const cloudwatch = new CloudWatchClient(config);
      try {
        await seedFunction(lambda, d);
        const names = await seedAlarms(cloudwatch, d);
        await healthyTraffic(endpoint, d);
        return names;
      } finally {
        lambda.destroy();
        cloudwatch.destroy();
      }
    }),
  );
  return alarms.flat();
}

async function seedFunction(lambda: LambdaClient, d: DemoDeployment): Promise<void> {
  const f = d.fn;
  const [first] = f.versions;
  if (!first) throw new Error(`${f.name} has no versions`);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: f.name,
      Runtime: f.runtime,
      Role: executionRole(d.place),
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
  for (const [alias, version] of Object.entries(d.aliases)) {
    await lambda.send(new CreateAliasCommand({ FunctionName: f.name, Name: alias, FunctionVersion: String(version) }));
  }
  if (d.unpublished) await deploy(lambda, f, d.unpublished, settings);
}

/** The function's own execution role, in its account (the bot never uses it). */
function executionRole(place: DemoPlace): string {
  return `arn:aws:iam::${place.account.id}:role/${place.account.name}-lambda-execution`;
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
async function seedAlarms(cloudwatch: CloudWatchClient, d: DemoDeployment): Promise<string[]> {
  const f = d.fn;
  const names: string[] = [];
  for (const alias of Object.keys(d.aliases)) {
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
async function healthyTraffic(endpoint: string, d: DemoDeployment): Promise<void> {
  const f = d.fn;
  for (const alias of Object.keys(d.aliases) as AliasName[]) {
    const response = await fetch(`${endpoint}/_emulator/traffic`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        account: d.place.account.id,
        region: d.place.region,
        function: f.name,
        alias,
        rps: TRAFFIC_RPS[alias],
        versions: {},
        default: { errorRate: HEALTHY_ERROR_RATE, durationMs: f.durationMs },
      }),
    });
    if (!response.ok) throw new Error(`emulator refused traffic for ${d.key}:${alias}: ${await response.text()}`);
  }
}

/** Creates the bucket as prod's own root, with Object Lock (which turns versioning on), before the bot starts. */
export async function createArchiveBucket(endpoint: string, a: DemoArchive = ARCHIVE): Promise<void> {
  const s3 = new S3Client({
    endpoint,
    region: a.place.region,
    forcePathStyle: true,
    credentials: rootOf(a.place.account),
    maxAttempts: 1,
  });
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: a.bucket,
        ObjectLockEnabledForBucket: true,
        // Outside us-east-1 S3 wants the region named, as the signing region.
        ...(a.place.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: a.place.region as BucketLocationConstraint } }),
      }),
    );
  } finally {
    s3.destroy();
  }
}
