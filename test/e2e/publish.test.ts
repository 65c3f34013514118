import { GetFunctionConfigurationCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip } from '../emulator/support/zip.js';
import { auditExport } from '../support/audit-cli.js';
import { startWorld, textOf, type World } from '../support/world.js';

const DELAY = 5000;
let world: World;

beforeAll(async () => {
  world = await startWorld({ updateDelayMs: DELAY });
});

afterAll(async () => {
  await world?.close();
});

async function deploy(variant: string): Promise<string> {
  const out = await world.lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: 'payments-api', ZipFile: handlerZip(variant) }),
  );
  return out.CodeSha256 as string;
}

describe('publish', () => {
  it('waits while Lambda is still updating, says so, then publishes the next version', async () => {
    await deploy('new-code-1');
    const { ack, response } = await world.command('publish payments-api "retry loop fix"');
    expect(ack.status).toBe(200);
    const waiting = await response();
    expect(textOf(waiting)).toMatch(/still applying an update/);
    await world.control('POST', '/_emulator/clock/advance', { ms: DELAY });
    const done = await response((b) => b.response_type === 'in_channel');
    expect(textOf(done)).toMatch(/published \*payments-api\* v5 — retry loop fix/);
    const records = (await auditExport(world.prefix)).filter((r) => r.action === 'publish');
    expect(records.map((r) => r.result)).toEqual(['pending', 'ok']);
    expect(records[1]?.to).toEqual({ version: '5', weights: {} });
  });

  it('says nothing changed since version N when $LATEST is what N already is', async () => {
    const reply = await (await world.command('publish payments-api')).response();
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/Nothing changed since v5/);
  });

  it('--expect-sha refuses to publish other code than expected', async () => {
    const sha = await deploy('new-code-2');
    await world.control('POST', '/_emulator/clock/advance', { ms: DELAY });
    const wrong = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
    const refused = await (await world.command(`publish payments-api --expect-sha ${wrong}`)).response();
    expect(textOf(refused)).toMatch(/CodeSHA256.*Nothing was changed/);
    const latest = await world.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments-api' }));
    expect(latest.CodeSha256).toBe(sha);
    const ok = await (await world.command(`publish payments-api --expect-sha ${sha}`)).response();
    expect(textOf(ok)).toMatch(/published \*payments-api\* v6/);
  });

  it('only deployers publish', async () => {
    const reply = await (await world.command('publish payments-api', 'U0ONCALL')).response();
    expect(textOf(reply)).toMatch(/only deployers may publish/);
  });
});
