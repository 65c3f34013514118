import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { expect, it } from 'vitest';
import { conformance, failure } from './support/contract.js';
import type { Target } from './support/target.js';

/** A function with versions 1 and 2 published. */
async function twoVersions(target: Target): Promise<{ name: string; arn: string }> {
  const name = await target.createFunction();
  for (const timeout of [5, 6]) {
    await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: timeout }));
    await target.settle(name);
    await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  }
  const arn = (await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })))
    .FunctionArn as string;
  return { name, arn };
}

conformance('Lambda aliases', (ctx) => {
  it('creates, gets, updates and deletes an alias; Description defaults to ""; RoutingConfig absent without routing', async () => {
    const { target } = ctx;
    const { name, arn } = await twoVersions(target);
    const created = await target.lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
    );
    expect(created).toMatchObject({ AliasArn: `${arn}:live`, Name: 'live', FunctionVersion: '1', Description: '' });
    expect(created).not.toHaveProperty('RoutingConfig');
    expect(created.$metadata.httpStatusCode).toBe(201);
    const got = await target.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    expect(got.RevisionId).toBe(created.RevisionId);
    const shifted = await target.lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    expect(shifted).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
    const same = await target.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live' }));
    expect(same.RevisionId).not.toBe(shifted.RevisionId);
    expect(same.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    const cleared = await target.lambda.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    expect(cleared.FunctionVersion).toBe('2');
    expect(cleared).not.toHaveProperty('RoutingConfig');
    await target.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    const e = await failure(() => target.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' })));
    expect(e).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Cannot find alias arn: ${arn}:live`,
    });
  });

  it('CreateAlias does not change the function RevisionId', async () => {
    const { target } = ctx;
    const { name } = await twoVersions(target);
    const before = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'rev', FunctionVersion: '1' }));
    const after = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(after.RevisionId).toBe(before.RevisionId);
  });

  it('alias errors: duplicate 409, update of a missing alias 404, delete of a missing alias succeeds, wrong RevisionId 412', async () => {
    const { target } = ctx;
    const { name, arn } = await twoVersions(target);
    await target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dup', FunctionVersion: '1' }));
    const dup = await failure(() =>
      target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dup', FunctionVersion: '1' })),
    );
    expect(dup).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `Alias already exists: ${arn}:dup`,
    });
    const upd = await failure(() =>
      target.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'ghost', FunctionVersion: '1' })),
    );
    expect(upd).toEqual({ name: 'ResourceNotFoundException', status: 404, message: `Alias not found: ${arn}:ghost` });
    const deleted = await target.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'ghost' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const rev = await failure(() =>
      target.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'dup', RevisionId: 'x' })),
    );
    expect(rev).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    const version = await failure(() =>
      target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'ten', FunctionVersion: '10' })),
    );
    expect(version).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arn}:10`,
    });
  });

  it('alias names: 2024-01-02 is fine, 2024 is refused with the pattern message; $LATEST without routing is fine', async () => {
    const { target } = ctx;
    const { name } = await twoVersions(target);
    await target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: '2024-01-02', FunctionVersion: '1' }));
    await target.lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'latest', FunctionVersion: '$LATEST' }),
    );
    const e = await failure(() =>
      target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: '2024', FunctionVersion: '1' })),
    );
    expect(e).toEqual({
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    });
  });

  it('FunctionVersion must be $LATEST or a number; Description at most 256', async () => {
    const { target } = ctx;
    const { name } = await twoVersions(target);
    const e = await failure(() =>
      target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'v', FunctionVersion: 'one' })),
    );
    expect(e).toEqual({
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'one' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)",
    });
    const d = await failure(() =>
      target.lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: 'v', FunctionVersion: '1', Description: 'x'.repeat(257) }),
      ),
    );
    expect(d).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('every RoutingConfig rule gives AWS answer', async () => {
    const { target } = ctx;
    const { name, arn } = await twoVersions(target);
    const routing = (weights: Record<string, number>, version = '1') =>
      failure(() =>
        target.lambda.send(
          new CreateAliasCommand({
            FunctionName: name,
            Name: 'r',
            FunctionVersion: version,
            RoutingConfig: { AdditionalVersionWeights: weights },
          }),
        ),
      );
    expect(await routing({ '2': 0.5, '3': 0.1 })).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
    });
    const valueConstraint =
      'failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]';
    expect(await routing({ '2': 2 })).toEqual({
      name: 'ValidationException',
      status: 400,
      message: `1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' ${valueConstraint}`,
    });
    expect((await routing({ '2': -1 })).message).toBe(
      `1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' ${valueConstraint}`,
    );
    expect(await routing({ '1': 0.5 })).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Invalid function version 1. Function version 1 is already included in routing configuration.',
    });
    expect(await routing({ '2': 0.5 }, '$LATEST')).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: '$LATEST is not supported for an alias pointing to more than 1 version',
    });
    const key = await routing({ $LATEST: 0.5 });
    expect(key.name).toBe('ValidationException');
    expect(key.message).toContain('Map keys must satisfy constraint: [');
    expect(key.message).toContain('Member must satisfy regular expression pattern: [0-9]+');
    expect(await routing({ '10': 0.5 })).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arn}:10`,
    });
    const empty = await target.lambda.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: 'empty',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    expect(empty).not.toHaveProperty('RoutingConfig');
  });

  it('refuses routing between versions with different execution roles', async (test) => {
    const { target } = ctx;
    if (!target.otherRoleArn) test.skip();
    const { name } = await twoVersions(target);
    await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Role: target.otherRoleArn }));
    await target.settle(name);
    await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const e = await failure(() =>
      target.lambda.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: 'mixed',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '3': 0.1 } },
        }),
      ),
    );
    // AWS's wording for this rule is not recorded; the name and status are the documented ones.
    expect(e).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
  });

  it('ListAliases filters by FunctionVersion and paginates', async () => {
    const { target } = ctx;
    const { name } = await twoVersions(target);
    for (const [alias, version] of [
      ['a', '1'],
      ['b', '2'],
      ['c', '1'],
    ] as const) {
      await target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version }));
    }
    const only1 = await target.lambda.send(new ListAliasesCommand({ FunctionName: name, FunctionVersion: '1' }));
    expect(only1.Aliases?.map((a) => a.Name).sort()).toEqual(['a', 'c']);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await target.lambda.send(
        new ListAliasesCommand({ FunctionName: name, MaxItems: 1, Marker: marker }),
      );
      seen.push(...(page.Aliases ?? []).map((a) => a.Name as string));
      marker = page.NextMarker;
    } while (marker);
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
  });

  it('qualified ARNs name an alias; deleting a version an alias points to is refused (409)', async () => {
    const { target } = ctx;
    const { name, arn } = await twoVersions(target);
    await target.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2' }));
    const viaArn = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${arn}:live` }));
    expect(viaArn).toMatchObject({ Version: '2', FunctionArn: `${arn}:live` });
    const viaVersion = await target.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }),
    );
    expect(viaVersion.FunctionArn).toBe(`${arn}:1`);
    const e = await failure(() =>
      target.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '2' })),
    );
    expect(e).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: 'Unable to delete version because the following aliases reference it: [live]',
    });
  });

  it('tags the function; a qualified ARN is refused', async () => {
    const { target } = ctx;
    const { arn } = await twoVersions(target);
    await target.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { team: 'pay', tier: '1' } }));
    await target.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['tier'] }));
    const tags = await target.lambda.send(new ListTagsCommand({ Resource: arn }));
    expect(tags.Tags).toEqual({ team: 'pay' });
    const e = await failure(() =>
      target.lambda.send(new TagResourceCommand({ Resource: `${arn}:1`, Tags: { a: 'b' } })),
    );
    expect(e).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    });
  });
});
