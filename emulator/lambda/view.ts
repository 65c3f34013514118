import type { AliasRecord, FunctionConfig, FunctionRecord } from './model.js';
import { functionArn, qualifiedArn } from './names.js';

const CREATING = 'The function is being created.';

/** How a configuration is being shown: Get* answers carry state fields, list items do not. */
export interface ViewOptions {
  /** Qualify the FunctionArn even for `$LATEST` (ListVersionsByFunction does). */
  qualifyLatest?: boolean;
  /**
   * The qualifier the caller named, which the FunctionArn then carries: a read through an alias answers with the
   * version's configuration but the alias's ARN, as in AWS.
   */
  arnQualifier?: string;
  /** List items omit State and LastUpdateStatus, as AWS's do. */
  listItem?: boolean;
}

/** A configuration in the shape AWS returns it (FunctionConfiguration). */
export function configView(fn: FunctionRecord, config: FunctionConfig, options: ViewOptions = {}): object {
  const isLatest = config.Version === '$LATEST';
  const arn =
    options.arnQualifier !== undefined
      ? qualifiedArn(fn.place, fn.name, options.arnQualifier)
      : isLatest && !options.qualifyLatest
        ? functionArn(fn.place, fn.name)
        : qualifiedArn(fn.place, fn.name, config.Version);
  const view: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: arn,
    Runtime: config.Runtime,
    Role: config.Role,
    Handler: config.Handler,
    CodeSize: config.CodeSize,
    Description: config.Description,
    Timeout: config.Timeout,
    MemorySize: config.MemorySize,
    LastModified: config.LastModified,
    CodeSha256: config.CodeSha256,
    Version: config.Version,
    Environment: { Variables: { ...config.Environment } },
    TracingConfig: { Mode: config.TracingMode },
    RevisionId: config.RevisionId,
    PackageType: config.PackageType,
    Architectures: [...config.Architectures],
    EphemeralStorage: { Size: config.EphemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
  if (config.Layers.length > 0) view.Layers = config.Layers.map((Arn) => ({ Arn, CodeSize: 0 }));
  if (config.DeadLetterTargetArn) view.DeadLetterConfig = { TargetArn: config.DeadLetterTargetArn };
  if (config.SigningProfileVersionArn) view.SigningProfileVersionArn = config.SigningProfileVersionArn;
  if (config.SigningJobArn) view.SigningJobArn = config.SigningJobArn;
  if (!options.listItem) {
    view.State = config.State;
    if (config.State === 'Pending') {
      view.StateReason = CREATING;
      view.StateReasonCode = 'Creating';
    }
    if (config.LastUpdateStatus) view.LastUpdateStatus = config.LastUpdateStatus;
    if (config.LastUpdateStatus === 'InProgress') {
      view.LastUpdateStatusReason = CREATING;
      view.LastUpdateStatusReasonCode = 'Creating';
    }
  }
  return view;
}

/** An alias in the shape AWS returns it; RoutingConfig is left out when the alias has none. */
export function aliasView(fn: FunctionRecord, alias: AliasRecord): object {
  const view: Record<string, unknown> = {
    AliasArn: qualifiedArn(fn.place, fn.name, alias.Name),
    Name: alias.Name,
    FunctionVersion: alias.FunctionVersion,
    Description: alias.Description,
    RevisionId: alias.RevisionId,
  };
  if (alias.Weights) view.RoutingConfig = { AdditionalVersionWeights: { ...alias.Weights } };
  return view;
}
