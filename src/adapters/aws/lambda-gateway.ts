import { createHmac, randomBytes } from 'node:crypto';
import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import type { Routing } from '../../domain/routing.js';
import { placeKey, type Target } from '../../domain/target.js';
import type { AliasState, LambdaGateway, PublishOptions, VersionConfig } from '../../ports.js';
import { SingleFlight } from '../single-flight.js';
import type { AwsClients } from './clients.js';
import { type CallContext, fromAws } from './errors.js';

/**
 * LambdaGateway over the AWS SDK v3; the same code talks to AWS and to the local emulator. Each call
 * goes to the target's account and region, signed as its session, with the function's AWS name.
 */
export class AwsLambdaGateway implements LambdaGateway {
  /** Fingerprints of environment values are keyed per process, so they reveal nothing outside it. */
  private readonly fingerprintKey = randomBytes(32);
  /** Fifty people asking `status` of one function at once make one ListAliases call, not fifty. */
  private readonly reads = new SingleFlight();

  constructor(private readonly clients: AwsClients) {}

  /** Never shared: the write path reads the alias to write on top of it, and must see every change before its read. */
  async getAlias(target: Target, alias: string): Promise<AliasState> {
    const out = await this.call(target, { operation: 'GetAlias', alias }, (client) =>
      client.send(new GetAliasCommand({ FunctionName: target.name, Name: alias })),
    );
    return toAlias(target.fn, out);
  }

  listAliases(target: Target): Promise<AliasState[]> {
    return this.reads.run(`aliases\u0000${readKey(target)}`, () => this.readAliases(target));
  }

  private async readAliases(target: Target): Promise<AliasState[]> {
    const aliases: AliasState[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call(target, { operation: 'ListAliases' }, (client) =>
        client.send(new ListAliasesCommand({ FunctionName: target.name, Marker: marker })),
      );
      for (const a of page.Aliases ?? []) aliases.push(toAlias(target.fn, a));
      marker = page.NextMarker;
    } while (marker);
    return aliases;
  }

  async updateAlias(target: Target, alias: string, routing: Routing, revisionId: string): Promise<AliasState> {
    const weights = routing.additional ? { [routing.additional.version]: routing.additional.weight } : {};
    const out = await this.call(target, { operation: 'UpdateAlias', alias }, (client) =>
      client.send(
        new UpdateAliasCommand({
          FunctionName: target.name,
          Name: alias,
          FunctionVersion: routing.primary,
          // An empty map removes the routing; leaving it out would keep the old one.
          RoutingConfig: { AdditionalVersionWeights: weights },
          RevisionId: revisionId,
        }),
      ),
    );
    return toAlias(target.fn, out);
  }

  /** Never shared: publish compares $LATEST's RevisionId before and after, which a shared older read would fool. */
  async getConfiguration(target: Target, qualifier: string): Promise<VersionConfig> {
    const out = await this.call(target, { operation: 'GetFunctionConfiguration', version: qualifier }, (client) =>
      client.send(new GetFunctionConfigurationCommand({ FunctionName: target.name, Qualifier: qualifier })),
    );
    return this.toVersion(target.fn, out);
  }

  listVersions(target: Target): Promise<VersionConfig[]> {
    return this.reads.run(`versions\u0000${readKey(target)}`, () => this.readVersions(target));
  }

  private async readVersions(target: Target): Promise<VersionConfig[]> {
    const versions: VersionConfig[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call(target, { operation: 'ListVersionsByFunction' }, (client) =>
        client.send(new ListVersionsByFunctionCommand({ FunctionName: target.name, Marker: marker })),
      );
      for (const v of page.Versions ?? []) if (v.Version !== '$LATEST') versions.push(this.toVersion(target.fn, v));
      marker = page.NextMarker;
    } while (marker);
    return versions;
  }

  async versionsPage(
    target: Target,
    marker?: string,
  ): Promise<{ versions: VersionConfig[]; marker?: string; next?: string }> {
    const page = await this.call(target, { operation: 'ListVersionsByFunction' }, (client) =>
      client.send(new ListVersionsByFunctionCommand({ FunctionName: target.name, Marker: marker })),
    );
    const versions = (page.Versions ?? [])
      .filter((v) => v.Version !== '$LATEST')
      .map((v) => this.toVersion(target.fn, v));
    return { versions, ...(marker ? { marker } : {}), ...(page.NextMarker ? { next: page.NextMarker } : {}) };
  }

  async publishVersion(target: Target, options: PublishOptions): Promise<VersionConfig> {
    const out = await this.call(target, { operation: 'PublishVersion' }, (client) =>
      client.send(
        new PublishVersionCommand({
          FunctionName: target.name,
          CodeSha256: options.codeSha256,
          Description: options.description,
          RevisionId: options.revisionId,
        }),
      ),
    );
    return this.toVersion(target.fn, out);
  }

  private async call<T>(
    target: Target,
    context: Omit<CallContext, 'fn' | 'place'>,
    send: (client: ReturnType<AwsClients['lambda']>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(this.clients.lambda(target.place, target.session));
      } catch (error) {
        const refused = fromAws(error, { ...context, fn: target.fn, place: target.place });
        // AWS no longer takes this session's credentials (not a role that could not be assumed: that
        // arrives as our own error, with nothing cached): assume it again. An expired token was
        // refused before anything ran, so the call is made once more with the new session.
        if (refused.code === 'account-unavailable' && refused !== error) {
          this.clients.invalidate(target.place, target.session);
          if (attempt === 1 && /Expired/.test(String(refused.details.aws))) continue;
        }
        throw refused;
      }
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
      ...(c.SigningProfileVersionArn ? { signingProfileVersionArn: c.SigningProfileVersionArn } : {}),
      ...(c.SigningJobArn ? { signingJobArn: c.SigningJobArn } : {}),
    };
  }
}

/** Reads shared by concurrent callers: the same function in the same place, whoever asks. */
function readKey(target: Target): string {
  return `${placeKey(target.place)}\u0000${target.name}`;
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
