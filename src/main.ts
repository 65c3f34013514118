/**
 * The composition root: loadConfig → adapters → services → listeners → start. It is the only
 * place that wires; everything else receives what it needs as arguments.
 */

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { WebClient } from '@slack/web-api';
import { runCommand } from '../commands/index.js';
import { createAwsClients } from './adapters/aws/clients.js';
import { readinessProbe } from './adapters/http/readiness.js';
import { createHttpServer, listen } from './adapters/http/server.js';
import { boltLogger, createLogger, type Logger } from './adapters/logging.js';
import { Metrics } from './adapters/metrics.js';
import { createRedis } from './adapters/redis/client.js';
import { createSlackApp } from './adapters/slack/app.js';
import { registerCommandListener } from './adapters/slack/command-listener.js';
import { registerHome } from './adapters/slack/home.js';
import { BotIdentity } from './adapters/slack/identity.js';
import { type Config, loadConfig } from './config.js';

export interface RunningBot {
  readonly port: number;
  stop(): Promise<void>;
}

/** Builds and starts the whole bot from a validated config. */
export async function startBot(config: Config, log: Logger, onFatal: (reason: string) => void): Promise<RunningBot> {
  const metrics = new Metrics();
  const redis = createRedis(config.redis.url, log.child({ component: 'redis' }));
  const aws = createAwsClients(config.aws);
  const web = new WebClient(config.slack.botToken, { slackApiUrl: config.slack.apiUrl, logger: boltLogger(log) });
  const identity = new BotIdentity();

  const slack = createSlackApp(config.slack, identity, log);
  registerCommandListener(slack.app, {
    log,
    metrics,
    run: (command, invocation) => runCommand(command, { invocation }),
  });
  registerHome(slack.app, log);
  slack.app.error(async (error) => {
    log.error({ err: error.message, code: (error as { code?: string }).code }, 'unhandled error in a Slack listener');
  });

  const readiness = readinessProbe([
    { name: 'redis', check: async () => void (await redis.ping()) },
    { name: 'aws', check: async () => void (await aws.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }))) },
  ]);
  const server = createHttpServer({ ...(slack.listener ? { slack: slack.listener } : {}), readiness, metrics });
  const port = await listen(server, config.port);
  log.info({ port, mode: config.slack.appToken ? 'socket' : 'http' }, 'listening');
  // Socket Mode reconnects by itself; health endpoints answer while it does.
  slack.start().catch((error: unknown) => log.error({ err: (error as Error).message }, 'Socket Mode failed to start'));
  void identity.load(web, log, onFatal);

  return {
    port,
    async stop() {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.stop();
      redis.disconnect();
      aws.lambda.destroy();
      aws.cloudwatch.destroy();
    },
  };
}

async function runFromEnvironment(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    // Plain lines on stderr, one per problem: this is read by a person fixing a deployment.
    for (const problem of loaded.problems) process.stderr.write(`config: ${problem}\n`);
    process.exit(1);
  }
  const log = createLogger(loaded.config.logLevel);
  const fatal = (reason: string) => {
    log.fatal(reason);
    process.stderr.write(`fatal: ${reason}\n`);
    process.exit(1);
  };
  const bot = await startBot(loaded.config, log, fatal);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), 10_000).unref();
    bot.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  runFromEnvironment().catch((error: unknown) => {
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
