/**
 * The composition root: loadConfig → adapters → services → listeners → start. It is the only
 * place that wires; everything else receives what it needs as arguments.
 */

import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { runCommand } from '../commands/index.js';
import { AwsClients, createSts } from './adapters/aws/clients.js';
import { CloudTrailEvents } from './adapters/aws/cloudtrail.js';
import { CloudWatchAlarmSource } from './adapters/aws/cloudwatch-alarms.js';
import { CloudWatchMetrics } from './adapters/aws/cloudwatch-metrics.js';
import { homeOf } from './adapters/aws/home.js';
import { AwsLambdaGateway } from './adapters/aws/lambda-gateway.js';
import { replaceSdkNodeNotice } from './adapters/aws/node-notice.js';
import { PlacePacer } from './adapters/aws/pacer.js';
import { awsReadiness } from './adapters/aws/readiness.js';
import { S3ArchiveStore } from './adapters/aws/s3-archive.js';
import { RoleSessions } from './adapters/aws/sessions.js';
import { systemClock } from './adapters/clock.js';
import { LeaderJob } from './adapters/cron/leader-job.js';
import { readinessProbe } from './adapters/http/readiness.js';
import { createHttpServer, listen } from './adapters/http/server.js';
import { boltLogger, createLogger, type Logger } from './adapters/logging.js';
import { Metrics } from './adapters/metrics.js';
import { RedisAuditArchiving } from './adapters/redis/audit-archiving.js';
import { createRedis } from './adapters/redis/client.js';
import { RedisLease } from './adapters/redis/lease.js';
import { redisReadiness } from './adapters/redis/readiness.js';
import { prepareRedis } from './adapters/redis/startup.js';
import { redisStores } from './adapters/redis/stores.js';
import { type ActionHandlers, registerActionListener } from './adapters/slack/action-listener.js';
import { createSlackApp } from './adapters/slack/app.js';
import { registerCommandListener } from './adapters/slack/command-listener.js';
import { SlackDirectory } from './adapters/slack/directory.js';
import { BotIdentity } from './adapters/slack/identity.js';
import { SlackNotifier } from './adapters/slack/notifier.js';
import { renderHome } from './adapters/slack/render/home.js';
import { SLACK_RETRY, SLACK_TAKEOVER_MS, SLACK_TIMEOUT_MS } from './adapters/slack/retry.js';
import { type Config, loadConfig } from './config.js';
import { Fleet } from './domain/fleet.js';
import { newId } from './domain/ids.js';
import type { AuditArchivePolicy } from './domain/policy-model.js';
import { type HomeWiring, registerEvents, wireHome } from './main-home.js';
import type { AuditLog } from './ports.js';
import { type Composition, composeServices } from './services/compose.js';
import type { ArchivePorts } from './services/compose-archive.js';
import type { Services } from './services/index.js';

export interface RunningBot {
  readonly port: number;
  stop(): Promise<void>;
}

/** Builds and starts the whole bot from a validated config. */
export async function startBot(config: Config, log: Logger, onFatal: (reason: string) => void): Promise<RunningBot> {
  const metrics = new Metrics();
  // Where the bot is (its region, its account) comes first: every function's target is built on it.
  const home = await homeOf(config.aws);
  const sts = createSts({ ...config.aws, region: home.region });
  const sessions = new RoleSessions(sts, systemClock);
  const accountId = await sessions.ownAccount();
  if (!accountId) log.warn('STS did not tell the bot its own account ID; ARNs of that account are checked against AWS');
  const fleet = new Fleet(config.policy, { region: home.region, ...(accountId ? { accountId } : {}) });
  const aws = new AwsClients({ endpoint: config.aws.endpoint, region: home.region }, sessions);
  // /readyz probes with one attempt: the bot's own clients retry for longer than a probe may take.
  const probes = new AwsClients({ endpoint: config.aws.endpoint, region: home.region, maxAttempts: 1 }, sessions);
  const redis = createRedis(config.redis, log.child({ component: 'redis' }));
  // Keys of an earlier layout are moved before anything reads or writes them.
  await prepareRedis(redis, config.redis, log);
  // Alarm alerts are posted with this client: its retries are bounded (SLACK_RETRY) so that a
  // failing post gives up and is retried by the next poll instead of blocking its channel for
  // half an hour, and so that SLACK_TAKEOVER_MS really outlasts any one call. A 429 is waited out
  // for its Retry-After and retried, never dropped.
  const web = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(log),
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
  });
  const identity = new BotIdentity();
  const { services, actions, jobs, audit, drain, hints, archiveLag, homeTab } = wire(config, {
    redis,
    fleet,
    aws,
    web,
    log,
  });

  const slack = createSlackApp(config.slack, identity, log);
  // Before any other listener: a delivery Slack retried (to this replica or another) is handled once.
  registerEvents(slack.app, redis, config, log, homeTab.opening);
  registerCommandListener(slack.app, {
    log,
    metrics,
    run: (command, invocation, progress) => runCommand(command, { invocation, services, progress }),
  });
  registerActionListener(slack.app, {
    log,
    metrics,
    handlers: actions,
    home: homeTab.opening.publish,
    refused: async (actor, request, reason) => {
      await audit.append({
        actor,
        action: 'denied',
        function: null,
        alias: null,
        from: null,
        to: null,
        result: 'denied',
        detail: reason,
        request,
      });
    },
  });
  metrics.watchArchive(archiveLag);
  slack.app.error(async (error) => {
    log.error({ err: error.message, code: (error as { code?: string }).code }, 'unhandled error in a Slack listener');
  });

  const readiness = readinessProbe([
    redisReadiness(redis, config.redis),
    ...awsReadiness(probes, fleet),
    {
      // Advice, never unready: where the bot may not read CloudTrail, outside changes go unnamed.
      name: 'cloudtrail',
      advisory: true,
      check: async () => {
        const denied = Object.entries(hints());
        if (denied.length > 0) throw new Error(denied.map(([where, why]) => `${where}: ${why}`).join('; '));
      },
    },
  ]);
  const server = createHttpServer({ ...(slack.listener ? { slack: slack.listener } : {}), readiness, metrics });
  const port = await listen(server, config.port);
  log.info(
    {
      port,
      mode: config.slack.appToken ? 'socket' : 'http',
      region: home.region,
      places: fleet.places().length,
      node: process.version,
    },
    'listening',
  );
  // Socket Mode reconnects by itself; health endpoints answer while it does.
  slack.start().catch((error: unknown) => log.error({ err: (error as Error).message }, 'Socket Mode failed to start'));
  void identity.load(web, log, onFatal);
  for (const job of jobs) job.start();

  return {
    port,
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
      await homeTab.stop();
      // No new runs, and the lease is free for another replica; a message being sent finishes
      // while Redis is still here, so that none is left taken by a replica that is gone.
      await drain();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.stop();
      redis.disconnect();
      aws.destroy();
      probes.destroy();
      sts.destroy();
    },
  };
}

interface Wiring {
  readonly services: Services;
  readonly actions: ActionHandlers;
  readonly jobs: readonly LeaderJob[];
  readonly audit: AuditLog;
  /** Stops what the jobs are doing and waits for it; before the jobs stop and Redis goes. */
  readonly drain: () => Promise<void>;
  readonly hints: () => Readonly<Record<string, string>>;
  readonly archiveLag: Composition['archiveLag'];
  readonly homeTab: HomeWiring;
}

interface Adapters {
  readonly redis: ReturnType<typeof createRedis>;
  readonly fleet: Fleet;
  readonly aws: AwsClients;
  readonly web: WebClient;
  readonly log: Logger;
}

/** The adapters under the ports, the services over them (composeServices), and the jobs under a lease. */
function wire(config: Config, adapters: Adapters): Wiring {
  const { redis, fleet, aws, web, log } = adapters;
  const { policy } = config;
  const prefix = config.redis.keyPrefix;
  const clock = systemClock;
  const pacer = new PlacePacer(clock);
  const stores = redisStores(redis, prefix, clock, {
    replicas: config.redis.replicasAck,
    timeoutMs: config.redis.ackTimeoutMs,
  });
  const composition = composeServices({
    ...stores,
    policy,
    fleet,
    clock,
    lambda: new AwsLambdaGateway(aws),
    directory: new SlackDirectory(web, clock, (message, group) => log.warn({ group }, message)),
    alarms: new CloudWatchAlarmSource(aws, fleet, policy),
    trail: new CloudTrailEvents(aws),
    pace: (place, notBefore) => pacer.wait(place, notBefore),
    metrics: new CloudWatchMetrics(aws),
    notifier: new SlackNotifier(web, clock),
    takeoverMs: SLACK_TAKEOVER_MS,
    log: log.child({ component: 'services' }),
    ...(policy.auditArchive ? { archive: archivePorts(policy.auditArchive, adapters, prefix) } : {}),
  });
  const lease = new RedisLease(redis, prefix);
  const holder = `${hostname()}:${process.pid}:${newId('')}`;
  const jobs = Object.entries(composition.jobs).map(
    ([name, job]) =>
      new LeaderJob({ name, everyMs: job.everyMs, holder, lease, clock, log: log.child({ job: name }), run: job.run }),
  );
  // Each person's console, rendered from HomeConsole's facts, kept live by the `home` job.
  const { home } = composition;
  const homeTab = wireHome(
    config,
    adapters,
    async (user, notice, version) => renderHome(await home.viewFor(user, notice, version)),
    lease,
    holder,
  );
  return {
    homeTab,
    services: composition.services,
    actions: composition.actions,
    audit: stores.audit,
    drain: composition.drain,
    hints: composition.hints,
    archiveLag: composition.archiveLag,
    jobs: [...jobs, homeTab.job],
  };
}

/** The audit archive's bucket (in its account and region, in the bot's session) and Redis's side of it. */
function archivePorts(archive: AuditArchivePolicy, adapters: Adapters, prefix: string): ArchivePorts {
  const place = adapters.fleet.place(archive.account, archive.region);
  return {
    store: new S3ArchiveStore(adapters.aws, place, archive.bucket),
    archiving: new RedisAuditArchiving(adapters.redis, prefix),
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
  // Before startBot makes the first AWS client: the SDK reads its switch then.
  const past = replaceSdkNodeNotice();
  if (past) {
    log.warn(
      { node: process.version, endOfLife: past.endOfLife },
      `Node.js ${past.line} is past its end of life (${past.endOfLife}): run the bot on Node.js 22 or 24 (AWS SDK releases from January 2027 need 22 or newer)`,
    );
  }
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
