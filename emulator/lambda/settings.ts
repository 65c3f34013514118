import type { FunctionConfig } from './model.js';
import { optionalInt, optionalString, stringMap } from './validation.js';

/**
 * Applies the configuration members of a CreateFunction or UpdateFunctionConfiguration input to `$LATEST`.
 * Members left out keep their value, as in AWS.
 */
export function applyConfigInput(config: FunctionConfig, input: Record<string, unknown>): void {
  const description = optionalString(input.Description, 'description', 256);
  if (description !== undefined) config.Description = description;
  const timeout = optionalInt(input.Timeout, 'timeout', 1, 900);
  if (timeout !== undefined) config.Timeout = timeout;
  const memory = optionalInt(input.MemorySize, 'memorySize', 128, 10240);
  if (memory !== undefined) config.MemorySize = memory;
  if (typeof input.Runtime === 'string') config.Runtime = input.Runtime;
  if (typeof input.Handler === 'string') config.Handler = optionalString(input.Handler, 'handler', 128);
  if (typeof input.Role === 'string') config.Role = input.Role;
  const environment = input.Environment as { Variables?: unknown } | undefined;
  if (environment) config.Environment = stringMap(environment.Variables) ?? {};
  if (Array.isArray(input.Layers)) config.Layers = input.Layers.map(String);
  if (Array.isArray(input.Architectures)) config.Architectures = input.Architectures.map(String);
  const dlq = input.DeadLetterConfig as { TargetArn?: unknown } | undefined;
  if (dlq) config.DeadLetterTargetArn = typeof dlq.TargetArn === 'string' && dlq.TargetArn ? dlq.TargetArn : undefined;
  const tracing = input.TracingConfig as { Mode?: unknown } | undefined;
  if (typeof tracing?.Mode === 'string') config.TracingMode = tracing.Mode;
  const storage = input.EphemeralStorage as { Size?: unknown } | undefined;
  const size = optionalInt(storage?.Size, 'ephemeralStorage.size', 512, 10240);
  if (size !== undefined) config.EphemeralStorage = size;
}

/**
 * What makes two configurations "the same function" for PublishVersion: code and every setting that affects how
 * it runs. Description is left out because a version's description is the one given to PublishVersion. The
 * signing is in: signed code is a new package in AWS (Signer writes a signed copy of the zip), so it publishes anew.
 */
export function fingerprint(config: FunctionConfig): string {
  return JSON.stringify([
    config.CodeSha256,
    config.Runtime,
    config.Role,
    config.Handler,
    config.Timeout,
    config.MemorySize,
    Object.entries(config.Environment).sort(),
    config.Layers,
    config.Architectures,
    config.DeadLetterTargetArn,
    config.TracingMode,
    config.EphemeralStorage,
    config.PackageType,
    config.SigningProfileVersionArn,
    config.SigningJobArn,
  ]);
}
