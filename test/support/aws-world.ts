/**
 * Seeds the emulator through the real AWS SDK, as a team's CI would have left their account:
 * functions with published versions (each with its own code and description) and aliases.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { handlerZip } from '../emulator/support/zip.js';

export interface SeedFunction {
  readonly name: string;
  /** How many versions to publish (1…n). */
  readonly versions: number;
  /** Alias → version it points at. */
  readonly aliases: Record<string, string>;
}

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** `settle` lets Lambda finish an update (on the emulator's manual clock, by advancing it). */
export async function seedFunction(
  lambda: LambdaClient,
  f: SeedFunction,
  settle: () => Promise<void> = async () => {},
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: f.name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: handlerZip(`${f.name}-0`) },
      Environment: { Variables: { TABLE: 'orders', SECRET_TOKEN: 'never-shown-0' } },
    }),
  );
  await settle();
  for (let v = 1; v <= f.versions; v++) {
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: f.name, ZipFile: handlerZip(`${f.name}-${v}`) }));
    await settle();
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: f.name,
        Environment: {
          Variables: { TABLE: 'orders', SECRET_TOKEN: `never-shown-${v}`, ...(v % 2 === 0 ? { FEATURE_X: 'on' } : {}) },
        },
        MemorySize: 128 * v,
      }),
    );
    await settle();
    await lambda.send(new PublishVersionCommand({ FunctionName: f.name, Description: `release ${v} of ${f.name}` }));
  }
  for (const [alias, version] of Object.entries(f.aliases)) {
    await lambda.send(new CreateAliasCommand({ FunctionName: f.name, Name: alias, FunctionVersion: version }));
  }
}

/** The functions most release tests start from, matching test/support/policy.ts. */
export const STANDARD_FUNCTIONS: readonly SeedFunction[] = [
  { name: 'payments-api', versions: 4, aliases: { prod: '3', staging: '3' } },
  { name: 'orders-api', versions: 3, aliases: { prod: '1' } },
];
