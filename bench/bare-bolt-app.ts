/**
 * The baseline of the ack benchmark: the smallest Bolt app that answers `/lambda`, built the way
 * Bolt's documentation builds one (`signingSecret` and `token`, default token verification, so one
 * `auth.test` at start) with its Web API pointed at the fake Slack. It only acknowledges.
 * Run as its own process: `node dist/bench/bare-bolt-app.js` with SLACK_SIGNING_SECRET,
 * SLACK_BOT_TOKEN and SLACK_API_URL; it logs `{"msg":"listening","port":N}` like the bot.
 */
import type { Server } from 'node:http';
import { App } from '@slack/bolt';

const { SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL } = process.env;
if (!SLACK_SIGNING_SECRET || !SLACK_BOT_TOKEN || !SLACK_API_URL) {
  process.stderr.write('bare-bolt-app: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and SLACK_API_URL are required\n');
  process.exit(1);
}

const app = new App({
  signingSecret: SLACK_SIGNING_SECRET,
  token: SLACK_BOT_TOKEN,
  clientOptions: { slackApiUrl: SLACK_API_URL },
});

app.command('/lambda', async ({ ack }) => {
  await ack();
});

const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
