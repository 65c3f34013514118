import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackDirectory } from '../../src/adapters/slack/directory.js';
import { TestClock } from '../fakes/test-clock.js';
import { FakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack;
let web: WebClient;

beforeAll(async () => {
  slack = await FakeSlack.start();
  web = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await slack.close();
});

const lists = () => slack.callsTo('usergroups.users.list').length;

describe('SlackDirectory (usergroups.users.list, cached)', () => {
  it('reads members once and serves them from cache within the TTL', async () => {
    slack.usergroups.set('S0ONE', ['U0DAVE']);
    const clock = new TestClock();
    const directory = new SlackDirectory(web, clock);
    const before = lists();
    expect(await directory.groupsOf('U0DAVE', ['S0ONE'])).toEqual(new Set(['S0ONE']));
    expect(await directory.groupsOf('U0DAVE', ['S0ONE'])).toEqual(new Set(['S0ONE']));
    expect(lists() - before).toBe(1);
  });

  it('a miss refreshes the list, so a user just added is not refused for a minute', async () => {
    slack.usergroups.set('S0TWO', ['U0DAVE']);
    const clock = new TestClock();
    const directory = new SlackDirectory(web, clock);
    expect(await directory.groupsOf('U0ERIN', ['S0TWO'])).toEqual(new Set());
    slack.usergroups.set('S0TWO', ['U0DAVE', 'U0ERIN']);
    clock.advance(6_000);
    expect(await directory.groupsOf('U0ERIN', ['S0TWO'])).toEqual(new Set(['S0TWO']));
  });

  it('a removal takes effect when the cache expires', async () => {
    slack.usergroups.set('S0THREE', ['U0DAVE']);
    const clock = new TestClock();
    const directory = new SlackDirectory(web, clock);
    expect((await directory.groupsOf('U0DAVE', ['S0THREE'])).size).toBe(1);
    slack.usergroups.set('S0THREE', []);
    clock.advance(61_000);
    expect((await directory.groupsOf('U0DAVE', ['S0THREE'])).size).toBe(0);
  });

  it('a group Slack does not know grants nothing and is reported', async () => {
    const warnings: string[] = [];
    const directory = new SlackDirectory(web, new TestClock(), (message, group) =>
      warnings.push(`${group}: ${message}`),
    );
    expect(await directory.groupsOf('U0DAVE', ['S0NONE'])).toEqual(new Set());
    expect(warnings).toEqual(['S0NONE: usergroups.users.list refused: no_such_subteam']);
  });

  it('Slack unreachable with no answer yet: the check fails clearly instead of guessing', async () => {
    slack.usergroups.set('S0FOUR', ['U0DAVE']);
    const clock = new TestClock();
    const directory = new SlackDirectory(web, clock);
    await directory.groupsOf('U0DAVE', ['S0FOUR']);
    const offline = new SlackDirectory(
      new WebClient('xoxb-test', { slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 } }),
      clock,
    );
    await expect(offline.groupsOf('U0DAVE', ['S0FOUR'])).rejects.toMatchObject({ code: 'slack-unavailable' });
  });
});
