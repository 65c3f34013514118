import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import { sendEvent } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
  // Changes are published by the leader of the home job: wait for its first term to begin.
  const lease = redisKeys(world.prefix).lease('home');
  for (let i = 0; i < 200 && !(await world.redis.get(redisKeys(world.prefix).homePublished)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await world.redis.get(lease)).toBeTruthy();
});

afterAll(async () => {
  await world?.close();
});

async function openHome(user: string): Promise<void> {
  const reply = await sendEvent(world.bot.url, SIGNING_SECRET, {
    type: 'app_home_opened',
    user,
    channel: `D${user}`,
    tab: 'home',
    event_ts: `${Date.now() / 1000}`,
  });
  expect(reply.status).toBe(200);
  await world.slack.waitForCall('views.publish', (c) => c.args.user_id === user);
}

/** Resolves once `user` has more than `count` Home publishes. */
function publishedMoreThan(user: string, count: number) {
  return world.slack.waitForCall('views.publish', () => world.slack.homePublishes(user).length > count, 15_000);
}

describe('App Home, live', () => {
  it('a change publishes Home again for everyone who opened it, and never for anyone else', async () => {
    await openHome('U0ALICE');
    await openHome('U0CAROL');
    const alice = world.slack.homePublishes('U0ALICE').length;
    const carol = world.slack.homePublishes('U0CAROL').length;
    const frozen = await (await world.command('freeze payments-api:staging home e2e')).response();
    expect(textOf(frozen)).toMatch(/froze|frozen/i);
    await publishedMoreThan('U0ALICE', alice);
    await publishedMoreThan('U0CAROL', carol);
    const view = world.slack.homePublishes('U0ALICE').at(-1)?.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(world.slack.homePublishes('U0BOB')).toHaveLength(0);
    expect(world.slack.homePublishes('U0ONCALL')).toHaveLength(0);
  });

  it('a 429 on views.publish is waited out and the publish made after it', async () => {
    const before = world.slack.homePublishes('U0ALICE').length;
    const limitedBefore = world.slack.rateLimited.length;
    world.slack.rateLimit('views.publish', 1, 1);
    await (await world.command('unfreeze payments-api:staging')).response();
    await publishedMoreThan('U0ALICE', before);
    expect(world.slack.rateLimited.slice(limitedBefore)).toContain('views.publish');
    expect(world.bot.logs.some((l) => l.includes('views.publish rate limited'))).toBe(true);
  });

  it('changes in one window fold into few publishes', async () => {
    const before = world.slack.homePublishes('U0CAROL').length;
    for (let i = 0; i < 4; i++) {
      await (await world.command(`freeze orders-api:prod fold ${i}`)).response();
      await (await world.command('unfreeze orders-api:prod')).response();
    }
    await publishedMoreThan('U0CAROL', before);
    // 16 audit records at most a few seconds apart: one publish a window, not one a change.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(world.slack.homePublishes('U0CAROL').length - before).toBeLessThan(8);
  });
});
