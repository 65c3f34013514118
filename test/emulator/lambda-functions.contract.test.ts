import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { expect, it } from 'vitest';
import { conformance, failure } from './support/contract.js';
import { handlerZip } from './support/zip.js';

const sha = (zip: Buffer) => createHash('sha256').update(zip).digest('base64');

conformance('Lambda functions', (ctx) => {
  it('creates a function whose CodeSha256 is the base64 SHA-256 of the zip, Pending then Active', async () => {
    const { target } = ctx;
    const name = await target.createFunction({ Description: 'first', MemorySize: 256, Timeout: 10 });
    const config = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config).toMatchObject({
      FunctionName: name,
      FunctionArn: expect.stringMatching(new RegExp(`^arn:aws:lambda:${target.region}:\\d{12}:function:${name}$`)),
      CodeSha256: sha(handlerZip('v0')),
      CodeSize: handlerZip('v0').length,
      Version: '$LATEST',
      Description: 'first',
      MemorySize: 256,
      Timeout: 10,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      State: 'Active',
      LastUpdateStatus: 'Successful',
      RevisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(config.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('refuses to create a function that exists (409)', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const e = await failure(() =>
      target.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: target.roleArn,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: handlerZip('dup') },
        }),
      ),
    );
    expect(e).toMatchObject({ name: 'ResourceConflictException', status: 409 });
  });

  it('GetFunction returns Configuration and Code, for a name, a full ARN and a partial ARN', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const arn = `arn:aws:lambda:${target.region}:${(await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).FunctionArn?.split(':')[4]}:function:${name}`;
    const account = arn.split(':')[4];
    for (const label of [name, arn, `${account}:function:${name}`]) {
      const out = await target.lambda.send(new GetFunctionCommand({ FunctionName: label }));
      expect(out.Configuration?.FunctionName).toBe(name);
      expect(out.Code?.RepositoryType).toBe('S3');
    }
  });

  it('answers 404 "Function not found" for an unknown function and for an unknown version', async () => {
    const { target } = ctx;
    const missing = target.unique('does-not-exist');
    const e1 = await failure(() => target.lambda.send(new GetFunctionCommand({ FunctionName: missing })));
    expect(e1).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(e1.message).toMatch(
      new RegExp(`^Function not found: arn:aws:lambda:${target.region}:\\d{12}:function:${missing}$`),
    );
    const name = await target.createFunction();
    for (const Command of [GetFunctionCommand, GetFunctionConfigurationCommand]) {
      const e2 = await failure(() => target.lambda.send(new Command({ FunctionName: name, Qualifier: '1221' })));
      expect(e2).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
      expect(e2.message).toMatch(new RegExp(`^Function not found: arn:aws:lambda:.*:function:${name}:1221$`));
    }
    const e3 = await failure(() =>
      target.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: 'aliasdoesnotexist' })),
    );
    expect(e3.message).toMatch(/:aliasdoesnotexist$/);
  });

  it('refuses an ARN whose qualifier differs from Qualifier', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const config = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const e = await failure(() =>
      target.lambda.send(new GetFunctionCommand({ FunctionName: `${config.FunctionArn}:$LATEST`, Qualifier: '1' })),
    );
    expect(e).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
    });
  });

  it('updates configuration (InProgress, then Successful) with a new RevisionId each time', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const before = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const updated = await target.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        MemorySize: 512,
        Environment: { Variables: { A: '1' } },
      }),
    );
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(updated.MemorySize).toBe(512);
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    await target.settle(name);
    const after = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(after.LastUpdateStatus).toBe('Successful');
    expect(after.Environment?.Variables).toEqual({ A: '1' });
    expect(after.RevisionId).not.toBe(updated.RevisionId);
  });

  it('refuses a second update while one is in progress (409)', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const first = await target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 20 }));
    const e = await failure(() =>
      target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 30 })),
    );
    expect(e.name).toBe('ResourceConflictException');
    expect(e.status).toBe(409);
    expect(e.message).toBe(
      `The operation cannot be performed at this time. An update is in progress for resource: ${first.FunctionArn}`,
    );
    const e2 = await failure(() =>
      target.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip('x') })),
    );
    expect(e2.name).toBe('ResourceConflictException');
    await target.settle(name);
  });

  it('a wrong RevisionId on an update gives 412', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const e = await failure(() =>
      target.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: handlerZip('y'), RevisionId: 'wrong' }),
      ),
    );
    expect(e).toEqual({
      name: 'PreconditionFailedException',
      status: 412,
      message:
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    });
  });

  it('UpdateFunctionCode changes CodeSha256 and CodeSize', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    const zip = handlerZip('v2');
    const out = await target.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip }));
    expect(out).toMatchObject({ CodeSha256: sha(zip), CodeSize: zip.length, LastUpdateStatus: 'InProgress' });
    await target.settle(name);
  });

  it('turning Active changes the RevisionId the creation returned', async () => {
    const { target } = ctx;
    const name = target.unique('conf-active');
    const created = await target.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: target.roleArn,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('act') },
      }),
    );
    try {
      expect(created.State).toBe('Pending');
      expect(created).not.toHaveProperty('LastUpdateStatus');
      await target.settle(name);
      const active = await target.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      expect(active.State).toBe('Active');
      expect(active.RevisionId).not.toBe(created.RevisionId);
    } finally {
      await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    }
  });

  it('validates names and descriptions with the request validator messages', async () => {
    const { target } = ctx;
    const long = 'f'.repeat(65);
    const e1 = await failure(() => target.lambda.send(new GetFunctionCommand({ FunctionName: long })));
    expect(e1).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(e1.message).toMatch(
      new RegExp(`^1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: `),
    );
    const name = await target.createFunction();
    const e2 = await failure(() =>
      target.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: 'd'.repeat(257) })),
    );
    expect(e2).toEqual({
      name: 'ValidationException',
      status: 400,
      message: `1 validation error detected: Value '${'d'.repeat(257)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
    });
  });

  it('lists functions with an opaque marker', async () => {
    const { target } = ctx;
    const names = [await target.createFunction(), await target.createFunction(), await target.createFunction()];
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await target.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      expect(page.Functions?.length).toBeLessThanOrEqual(2);
      for (const f of page.Functions ?? []) seen.push(f.FunctionName as string);
      marker = page.NextMarker;
    } while (marker);
    for (const n of names) expect(seen).toContain(n);
  });

  it('deletes a function; then it is not found, and a second delete is 404', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    const e = await failure(() => target.lambda.send(new DeleteFunctionCommand({ FunctionName: name })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toMatch(new RegExp(`^Function not found: arn:aws:lambda:.*:function:${name}$`));
  });

  it('deleting a version that does not exist is idempotent; deleting $LATEST by qualifier is refused', async () => {
    const { target } = ctx;
    const name = await target.createFunction();
    await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1233' }));
    await target.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1233' }));
    const e = await failure(() =>
      target.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '$LATEST' })),
    );
    expect(e).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: '$LATEST version cannot be deleted without deleting the function.',
    });
  });
});
