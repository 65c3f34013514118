import { randomBytes } from 'node:crypto';
import { CloudWatchClient, DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.js';
import { handlerZip } from './zip.js';

/** Where a conformance suite runs: the emulator in this process, or real AWS. */
export interface Target {
  name: 'emulator' | 'aws';
  region: string;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  /** The execution role new functions get. */
  roleArn: string;
  /** A second role, for the "same execution role" routing rule (AWS: CONFORMANCE_ROLE_ARN_2, if set). */
  otherRoleArn: string | undefined;
  /** A name unique to this run (AWS is shared; the emulator is not, but the code is the same). */
  unique(base: string): string;
  /** Creates a function (cleaned up at the end) and waits until it is Active. */
  createFunction(input?: Partial<CreateFunctionCommandInput>): Promise<string>;
  /** Waits until a function's pending creation or update is over. */
  settle(functionName: string): Promise<void>;
  /** Registers an alarm for deletion at the end. */
  trackAlarm(name: string): void;
  close(): Promise<void>;
}

export const ACCOUNT = '000000000000';
const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator' };

/** Why the AWS run cannot happen, or undefined when it can. */
export function awsUnavailableReason(): string | undefined {
  if (process.env.CONFORMANCE_AWS !== '1') return 'CONFORMANCE_AWS is not 1';
  const env = process.env;
  if (
    !env.AWS_ACCESS_KEY_ID &&
    !env.AWS_PROFILE &&
    !env.AWS_WEB_IDENTITY_TOKEN_FILE &&
    !env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  ) {
    return 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, …)';
  }
  if (!env.CONFORMANCE_ROLE_ARN) return 'CONFORMANCE_ROLE_ARN (an execution role for test functions) is not set';
  return undefined;
}

/** The emulator's update delay in the conformance run: long enough for "update in progress" to be observable. */
export const EMULATOR_UPDATE_DELAY_MS = 2000;

async function makeTarget(
  name: Target['name'],
  region: string,
  clients: { lambda: LambdaClient; cloudwatch: CloudWatchClient },
  roles: { role: string; other: string | undefined },
  settle: (fn: string) => Promise<void>,
  closeServer: () => Promise<void>,
): Promise<Target> {
  const run = randomBytes(3).toString('hex');
  const functions = new Set<string>();
  const alarms = new Set<string>();
  const target: Target = {
    name,
    region,
    ...clients,
    roleArn: roles.role,
    otherRoleArn: roles.other,
    unique: (base) => `${base}-${run}`,
    async createFunction(input = {}) {
      const functionName = input.FunctionName ?? target.unique(`conf-${randomBytes(2).toString('hex')}`);
      await clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: functionName,
          Role: roles.role,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: handlerZip('v0') },
          ...input,
        }),
      );
      functions.add(functionName);
      await settle(functionName);
      return functionName;
    },
    settle,
    trackAlarm: (alarm) => alarms.add(alarm),
    async close() {
      for (const fn of functions) {
        await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: fn })).catch(() => undefined);
      }
      if (alarms.size > 0) {
        await clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [...alarms] })).catch(() => undefined);
      }
      clients.lambda.destroy();
      clients.cloudwatch.destroy();
      await closeServer();
    },
  };
  return target;
}

/**
 * The emulator as a target: started in-process on a free port with a manual clock, so that `settle` advances
 * time past the update delay instead of sleeping.
 */
export async function emulatorTarget(region = 'us-east-1'): Promise<Target & { emulator: RunningEmulator }> {
  const emulator = await startEmulator({ clock: 'manual', updateDelayMs: EMULATOR_UPDATE_DELAY_MS });
  const config = { endpoint: emulator.url, region, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 };
  const settle = async () => {
    await control(emulator.url, 'POST', '/_emulator/clock/advance', { ms: EMULATOR_UPDATE_DELAY_MS });
  };
  const target = await makeTarget(
    'emulator',
    region,
    { lambda: new LambdaClient(config), cloudwatch: new CloudWatchClient(config) },
    { role: `arn:aws:iam::${ACCOUNT}:role/conformance`, other: `arn:aws:iam::${ACCOUNT}:role/conformance-2` },
    settle,
    () => emulator.close(),
  );
  return Object.assign(target, { emulator });
}

/** Real AWS as a target (only when {@link awsUnavailableReason} is undefined). */
export async function awsTarget(): Promise<Target> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const lambda = new LambdaClient({ region });
  const settle = async (fn: string) => {
    for (let i = 0; i < 120; i++) {
      const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
      if (c.State === 'Active' && c.LastUpdateStatus !== 'InProgress') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`${fn} did not settle`);
  };
  return makeTarget(
    'aws',
    region,
    { lambda, cloudwatch: new CloudWatchClient({ region }) },
    { role: process.env.CONFORMANCE_ROLE_ARN as string, other: process.env.CONFORMANCE_ROLE_ARN_2 },
    settle,
    async () => undefined,
  );
}

/** Calls the emulator's control API (test infrastructure, not part of what the suite checks on AWS). */
export async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
