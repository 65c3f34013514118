import { createHmac, randomBytes } from 'node:crypto';
import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import type { Routing } from '../../domain/routing.js';
import type { AliasState, LambdaGateway, PublishOptions, VersionConfig } from '../../ports.js';
import { SingleFlight } from '../single-flight.js';
import { type CallContext, fromAws } from './errors.js';

/** LambdaGateway over the AWS SDK v3; the same code talks to AWS and to the local emulator. */
export class AwsLambdaGateway implements LambdaGateway {
  /** Fingerprints of environment values are keyed per process, so they reveal nothing outside it. */
  private readonly fingerprintKey = randomBytes(32);
  /** Fifty people asking `status` of one function at once make one ListAliases call, not fifty. */
  private readonly reads = new SingleFlight();

  constructor(private readonly client: LambdaClient) {}

  /** Never shared: the write path reads the alias to write on top of it, and must see every change before its read. */
  async getAlias(fn: string, alias: string): Promise<AliasState> {
    const out = await this.call({ operation: 'GetAlias', fn, alias }, () =>
      this.client.send(new GetAliasCommand({ FunctionName: fn, Name: alias })),
    );
    return toAlias(fn, out);
  }

  listAliases(fn: string): Promise<AliasState[]> {
    return this.reads.run(`aliases\u0000${fn}`, () => this.readAliases(fn));
  }

  private async readAliases(fn: string): Promise<AliasState[]> {
    const aliases: AliasState[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call({ operation: 'ListAliases', fn }, () =>
        this.client.send(new ListAliasesCommand({ FunctionName: fn, Marker: marker })),
      );
      for (const a of page.Aliases ?? []) aliases.push(toAlias(fn, a));
      marker = page.NextMarker;
    } while (marker);
    return aliases;
  }

  async updateAlias(fn: string, alias: string, routing: Routing, revisionId: string): Promise<AliasState> {
    const weights = routing.additional ? { [routing.additional.version]: routing.additional.weight } : {};
    const out = await this.call({ operation: 'UpdateAlias', fn, alias }, () =>
      this.client.send(
        new UpdateAliasCommand({
          FunctionName: fn,
          Name: alias,
          FunctionVersion: routing.primary,
          // An empty map removes the routing; leaving it out would keep the old one.
          RoutingConfig: { AdditionalVersionWeights: weights },
          RevisionId: revisionId,
        }),
      ),
    );
    return toAlias(fn, out);
  }

  /** Never shared: publish compares $LATEST's RevisionId before and after, which a shared older read would fool. */
  async getConfiguration(fn: string, qualifier: string): Promise<VersionConfig> {
    const out = await this.call({ operation: 'GetFunctionConfiguration', fn, version: qualifier }, () =>
      this.client.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: qualifier })),
    );
    return this.toVersion(fn, out);
  }

  listVersions(fn: string): Promise<VersionConfig[]> {
    return this.reads.run(`versions\u0000${fn}`, () => this.readVersions(fn));
  }

  private async readVersions(fn: string): Promise<VersionConfig[]> {
    const versions: VersionConfig[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call({ operation: 'ListVersionsByFunction', fn }, () =>
        this.client.send(new ListVersionsByFunctionCommand({ FunctionName: fn, Marker: marker })),
      );
      for (const v of page.Versions ?? []) if (v.Version !== '$LATEST') versions.push(this.toVersion(fn, v));
      marker = page.NextMarker;
    } while (marker);
    return versions;
  }

  async publishVersion(fn: string, options: PublishOptions): Promise<VersionConfig> {
    const out = await this.call({ operation: 'PublishVersion', fn }, () =>
      this.client.send(
        new PublishVersionCommand({
          FunctionName: fn,
          CodeSha256: options.codeSha256,
          Description: options.description,
          RevisionId: options.revisionId,
        }),
      ),
    );
    return this.toVersion(fn, out);
  }

  private async call<T>(context: CallContext, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fromAws(error, context);
    }
  }

  private toVersion(fn: string, c: FunctionConfiguration): VersionConfig {
    const environment = new Map<string, string>();
    for (const [name, value] of Object.entries(c.Environment?.Variables ?? {})) {
      environment.set(name, createHmac('sha256', this.fingerprintKey).update(value).digest('hex').slice(0, 16));
    }
    return {
      fn,
      version: c.Version ?? '$LATEST',
      arn: c.FunctionArn ?? '',
      description: c.Description ?? '',
      codeSha256: c.CodeSha256 ?? '',
      codeSize: c.CodeSize ?? 0,
      lastModified: c.LastModified ?? '',
      ...(c.Runtime ? { runtime: c.Runtime } : {}),
      ...(c.Handler ? { handler: c.Handler } : {}),
      ...(c.MemorySize === undefined ? {} : { memorySize: c.MemorySize }),
      ...(c.Timeout === undefined ? {} : { timeout: c.Timeout }),
      architectures: c.Architectures ?? [],
      layers: (c.Layers ?? []).map((l) => l.Arn ?? '').filter((a) => a.length > 0),
      environment,
      revisionId: c.RevisionId ?? '',
      ...(c.State ? { state: c.State } : {}),
      ...(c.LastUpdateStatus ? { lastUpdateStatus: c.LastUpdateStatus } : {}),
      ...(c.LastUpdateStatusReason ? { lastUpdateStatusReason: c.LastUpdateStatusReason } : {}),
    };
  }
}

function toAlias(fn: string, a: AliasConfiguration): AliasState {
  const [extra] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    fn,
    alias: a.Name ?? '',
    arn: a.AliasArn ?? '',
    routing: {
      primary: a.FunctionVersion ?? '$LATEST',
      ...(extra ? { additional: { version: extra[0], weight: extra[1] } } : {}),
    },
    revisionId: a.RevisionId ?? '',
    description: a.Description ?? '',
  };
}
