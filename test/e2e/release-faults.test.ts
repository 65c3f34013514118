import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET, startBot } from '../support/bot-process.js';
import { closedPort } from '../support/redis.js';
import { sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('concurrent promotes of one alias from two processes', () => {
  it('apply exactly once; the other is told', async () => {
    const replica = await world.startReplica();
    // AWS answering slowly makes the two requests overlap however busy the machine is: the race is certain.
    await world.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'UpdateAlias', latencyMs: 1500, latencyProbability: 1 }],
    });
    const a = world.slack.newResponseUrl();
    const b = world.slack.newResponseUrl();
    await Promise.all([
      sendCommand(world.bot.url, SIGNING_SECRET, { text: 'promote orders-api:prod 2', response_url: a.url }),
      sendCommand(replica.url, SIGNING_SECRET, {
        text: 'promote orders-api:prod 3',
        response_url: b.url,
        user_id: 'U0BOB',
      }),
    ]);
    const replies = await Promise.all([world.slack.waitForResponse(a.id), world.slack.waitForResponse(b.id)]);
    await world.control('DELETE', '/_emulator/faults');
    const applied = replies.filter((r) => r.response_type === 'in_channel');
    const refused = replies.filter((r) => r.response_type === 'ephemeral');
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(textOf(refused[0] as Record<string, unknown>)).toMatch(
      /being changed by another request|changed while this was being applied|already sends/,
    );
    const history = await world.control<{ operation: string }[]>(
      'GET',
      '/_emulator/alias-history?function=orders-api&alias=prod',
    );
    expect(history.filter((h) => h.operation === 'UpdateAlias')).toHaveLength(1);
  });
});

describe('Redis stopped', () => {
  let redis: ChildProcess;

  afterAll(() => {
    redis?.kill('SIGKILL');
  });

  it('writes are refused with a clear message and nothing changes in AWS; reads still answer', async () => {
    const port = await closedPort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPort(port);
    const bot = await startBot({ ...world.env, REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      redis.kill('SIGKILL');
      await new Promise((resolve) => redis.once('exit', resolve));
      await world.control('DELETE', '/_emulator/calls');
      const send = async (text: string) => {
        const r = world.slack.newResponseUrl();
        await sendCommand(bot.url, SIGNING_SECRET, { text, response_url: r.url });
        return world.slack.waitForResponse(r.id);
      };
      const before = await world.routing('payments-api', 'staging');
      const refused = await send('promote payments-api:staging 1');
      expect(textOf(refused)).toMatch(/Redis is unavailable.*Nothing was changed/);
      const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
      expect(calls['lambda.UpdateAlias'] ?? 0).toBe(0);
      expect(await world.routing('payments-api', 'staging')).toEqual(before);

      const status = await send('status payments-api');
      expect(textOf(status)).toContain('100% v3');
      expect(textOf(status)).toMatch(/Redis is unavailable: last changes and drift are not shown/);
    } finally {
      await bot.stop();
    }
  });
});

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const { connect } = await import('node:net');
      await new Promise<void>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => {
          s.end();
          resolve();
        });
        s.on('error', reject);
      });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`nothing listens on ${port}`);
}
