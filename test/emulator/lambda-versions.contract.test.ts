import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { expect, it } from 'vitest';
import { conformance, failure } from './support/contract.js';
import { handlerZip } from './support/zip.js';

conformance('Lambda versions', (ctx) => {
  it('publishes v1 and v2 after changes; with nothing changed returns the newest again, description untouched', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 11 }));
    await target.settle(name);
    const v1 = await target.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'one' }));
    expect(v1).toMatchObject({ Version: '1', Description: 'one', Timeout: 11 });
    expect(v1.FunctionArn).toMatch(new RegExp(`:function:${name}:1$`));
    expect(v1.$metadata.httpStatusCode).toBe(201);
    await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 12 }));
    await target.settle(name);
    const v2 = await target.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'two' }));
    expect(v2).toMatchObject({ Version: '2', Timeout: 12 });
    const again = await target.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'other' }));
    expect(again).toMatchObject({ Version: '2', Description: 'two' });
    expect(again.$metadata.httpStatusCode).toBe(201);
    const old = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }));
    expect(old).toMatchObject({ Version: '1', Timeout: 11, Description: 'one' });
  });

  it('CreateFunction with Publish returns version 1, and a publish without change returns 1 again', async () => {
    const { target } = ctx;
    const name = target.unique('conf-publish');
    const created = await target.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: target.roleArn,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('p') },
        Publish: true,
      }),
    );
    try {
      expect(created.Version).toBe('1');
      await target.settle(name);
      const again = await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
      expect(again.Version).toBe('1');
    } finally {
      await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    }
  });

  it('never reuses a version number, even after the version is deleted', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    await target.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip('a') }));
    await target.settle(name);
    await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    await target.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip('b') }));
    await target.settle(name);
    const next = await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(next.Version).toBe('2');
  });

  it('published versions are immutable while $LATEST changes', async () => {
    const { target } = ctx;
    const name = await target.createFunction({ MemorySize: 128 });
    const v1 = await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 1024 }));
    await target.settle(name);
    const stored = await target.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    expect(stored.Configuration).toMatchObject({
      MemorySize: 128,
      CodeSha256: v1.CodeSha256,
      RevisionId: v1.RevisionId,
    });
  });

  it('publishing changes $LATEST RevisionId; a wrong RevisionId gives 412', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const before = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const e = await failure(() =>
      target.lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: 'nope' })),
    );
    expect(e).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    expect(e.message).toBe(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    await target.lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: before.RevisionId }));
    const after = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(after.RevisionId).not.toBe(before.RevisionId);
  });

  it('a CodeSha256 that is not $LATEST gives 400 with AWS message', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const latest = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const e = await failure(() =>
      target.lambda.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: 'wrong' })),
    );
    expect(e).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `CodeSHA256 (wrong) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    });
  });

  it('refuses to publish while an update is in progress (409)', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const updated = await target.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip('z') }),
    );
    const e = await failure(() => target.lambda.send(new PublishVersionCommand({ FunctionName: name })));
    expect(e).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `The operation cannot be performed at this time. An update is in progress for resource: ${updated.FunctionArn}`,
    });
    await target.settle(name);
  });

  it('lists $LATEST first then ascending versions, qualified ARNs, no state fields, 50 a page', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const total = target.name === 'aws' ? 3 : 55;
    for (let i = 1; i <= total; i++) {
      await target.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `d${i}`, Timeout: i + 1 }),
      );
      await target.settle(name);
      await target.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    }
    const first = await target.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    const versions = first.Versions ?? [];
    expect(versions[0]?.Version).toBe('$LATEST');
    expect(versions[0]?.FunctionArn).toMatch(/:\$LATEST$/);
    expect(versions[1]?.Version).toBe('1');
    expect(versions[0]).not.toHaveProperty('State');
    expect(versions[0]).not.toHaveProperty('LastUpdateStatus');
    if (target.name === 'emulator') {
      expect(versions).toHaveLength(50);
      expect(first.NextMarker).toBeDefined();
      const second = await target.lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: name, Marker: first.NextMarker }),
      );
      expect(second.Versions?.map((v) => v.Version)).toEqual(['50', '51', '52', '53', '54', '55']);
      expect(second.NextMarker).toBeUndefined();
    } else {
      expect(first.NextMarker).toBeUndefined();
    }
  });
});
