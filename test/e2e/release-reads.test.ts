import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  await (await world.command('shift payments-api:staging 4 20')).response();
});

afterAll(async () => {
  await world?.close();
});

describe('status', () => {
  it('shows every alias with a bar, its last change and protection', async () => {
    const { ack, response } = await world.command('status payments-api', 'U0NOBODY');
    expect(ack.status).toBe(200);
    const text = textOf(await response());
    expect(text).toContain('████████░░ 80% v3 · 20% v4');
    expect(text).toContain('██████████ 100% v3');
    expect(text).toContain(':lock: protected');
    expect(text).toMatch(/Last change: shift by <@U0ALICE>/);
  });

  it('one alias only', async () => {
    const text = textOf(await (await world.command('status payments-api:prod')).response());
    expect(text).toContain('*prod*');
    expect(text).not.toContain('*staging*');
  });

  it('a missing function is named', async () => {
    const text = textOf(await (await world.command('status nope-api')).response());
    expect(text).toMatch(/there is no function nope-api/);
  });

  it('an ARN from another Region is refused', async () => {
    const text = textOf(
      await (await world.command('status arn:aws:lambda:eu-west-1:000000000000:function:payments-api')).response(),
    );
    expect(text).toMatch(
      /no payments-api in the bot's own account.*, eu-west-1; it has payments-api \(own\/us-east-1\)/,
    );
  });
});

describe('versions', () => {
  it('lists the newest first with code hash prefix, description and the aliases serving each', async () => {
    const text = textOf(await (await world.command('versions payments-api 3')).response());
    expect(text).toMatch(/Newest 3 of 4 versions/);
    const v4 = text.indexOf('`v4`');
    const v3 = text.indexOf('`v3`');
    const v2 = text.indexOf('`v2`');
    expect(v4).toBeGreaterThan(-1);
    expect(v4).toBeLessThan(v3);
    expect(v3).toBeLessThan(v2);
    expect(text).not.toContain('`v1`');
    expect(text).toContain('release 4 of payments-api');
    expect(text).toMatch(/staging 20%/);
  });

  it('pages through every version', async () => {
    const many = await startWorld({ functions: [{ name: 'orders-api', versions: 55, aliases: { prod: '1' } }] });
    try {
      const text = textOf(await (await many.command('versions orders-api 2')).response());
      expect(text).toMatch(/Newest 2 of 55 versions/);
      expect(text).toContain('`v55`');
    } finally {
      await many.close();
    }
  });
});

describe('diff', () => {
  it('shows code, memory and environment variable names, never values', async () => {
    const text = textOf(await (await world.command('diff payments-api 1 2')).response());
    expect(text).toMatch(/\*code\*/);
    expect(text).toMatch(/\*memory\*.*128 MB.*256 MB/);
    expect(text).toMatch(/added `FEATURE_X`/);
    expect(text).toMatch(/changed `SECRET_TOKEN`/);
    expect(text).not.toMatch(/never-shown|on`/);
  });
});

describe('history', () => {
  it('lists the newest audit records of a function', async () => {
    const text = textOf(await (await world.command('history payments-api:staging 5')).response());
    expect(text).toMatch(/\*shift\*/);
    expect(text).toMatch(/_ok_/);
    expect(text).toMatch(/_pending_/);
  });
});
