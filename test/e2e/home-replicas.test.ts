import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { type BotProcess, SIGNING_SECRET } from '../support/bot-process.js';
import { sendCommand, sendEvent } from '../support/slack-requests.js';
import { startWorld, type World } from '../support/world.js';

/**
 * Live Home on two replicas: one publishes (the leader of the home job), and after the leader
 * goes, the other takes over and viewers still get the change.
 */
let world: World;
let replica: BotProcess;

beforeAll(async () => {
  world = await startWorld();
  replica = await world.startReplica();
  for (let i = 0; i < 200 && !(await world.redis.get(redisKeys(world.prefix).homePublished)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await world?.close();
});

/** The replica holding the home lease (its value is `host:pid:…|token`). */
async function leader(): Promise<{ leading: BotProcess; other: BotProcess }> {
  const value = (await world.redis.get(redisKeys(world.prefix).lease('home'))) ?? '';
  const pid = Number(value.split(':')[1]);
  return pid === replica.child.pid ? { leading: replica, other: world.bot } : { leading: world.bot, other: replica };
}

async function change(on: BotProcess, text: string): Promise<void> {
  const { id, url } = world.slack.newResponseUrl();
  const ack = await sendCommand(on.url, SIGNING_SECRET, { text, response_url: url });
  expect(ack.status).toBe(200);
  await world.slack.waitForResponse(id);
}

const publishes = (user: string) => world.slack.homePublishes(user).length;

function publishedMoreThan(user: string, count: number) {
  return world.slack.waitForCall('views.publish', () => publishes(user) > count, 20_000);
}

describe('App Home on two replicas', () => {
  it('one change is published once, by one replica, whichever got the command', async () => {
    const reply = await sendEvent(world.bot.url, SIGNING_SECRET, {
      type: 'app_home_opened',
      user: 'U0ALICE',
      channel: 'D0ALICE',
      tab: 'home',
    });
    expect(reply.status).toBe(200);
    await world.slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0ALICE');
    // Past Alice's window, so the change is published at once and once.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const before = publishes('U0ALICE');
    await change(replica, 'freeze payments-api:staging two replicas');
    await publishedMoreThan('U0ALICE', before);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(publishes('U0ALICE')).toBe(before + 1);
  }, 40_000);

  it('when the leader stops, the other replica publishes the next change', async () => {
    const { leading, other } = await leader();
    await leading.stop();
    const before = publishes('U0ALICE');
    await change(other, 'unfreeze payments-api:staging');
    await publishedMoreThan('U0ALICE', before);
    expect(other.logs.some((l) => l.includes('"job":"home"') && l.includes('failed'))).toBe(false);
  }, 40_000);
});
