/**
 * The console's HTTP server. It is Slack to the bot (the Web API under /api/, response_urls under
 * /response/) and a chat client's backend to the page: the state and live events of one person's
 * view (/console/state, /console/events), what they type and click (/console/command,
 * /console/message, /console/click), the Home tab (/console/home, /console/home-click), and the emulator panel (/console/aws, /console/traffic, and
 * /console/act: a change made as someone at the AWS console).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxError } from '../errors.js';
import { readBody, SlackHttp, sendJson } from '../slack/http.js';
import { escapeText } from '../slack/text.js';
import type { Workspace } from '../slack/workspace.js';
import type { AwsPanel } from './aws-panel.js';
import { BotLink } from './bot-link.js';
import { EventStreams } from './events.js';
import type { ConsoleAct, IamUsers } from './iam-users.js';
import { serveStatic } from './static-files.js';
import { stateView } from './views.js';

export interface ConsoleOptions {
  readonly workspace: Workspace;
  readonly signingSecret: string;
  readonly staticDir: string;
  /** The people the page can be used as, with what the page shows of them. */
  readonly people: readonly { readonly id: string }[];
  readonly suggestions: readonly string[];
  readonly host?: string;
  readonly port?: number;
}

export interface RunningConsole {
  readonly url: string;
  readonly slack: SlackHttp;
  readonly bot: BotLink;
  /**
   * The emulator panel, once the emulator is up (until then the panel says it is starting), and the
   * IAM users it can act as.
   */
  setAws(aws: AwsPanel, users?: IamUsers): void;
  close(): Promise<void>;
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const server = createServer();
  const host = options.host ?? '127.0.0.1';
  await listen(server, host, options.port ?? 0);
  const url = `http://${host}:${(server.address() as AddressInfo).port}/`;
  const slack = new SlackHttp(options.workspace, { baseUrl: url });
  const bot = new BotLink(options.workspace, slack.responseUrls, options.signingSecret);
  const streams = new EventStreams(options.workspace, bot);
  const routes = new Routes(options, slack, bot, streams);
  server.on('request', (req, res) => {
    routes.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: (error as Error).message });
      else res.end();
    });
  });
  return {
    url,
    slack,
    bot,
    setAws: (aws, users) => {
      routes.aws = aws;
      routes.users = users;
    },
    close: () =>
      new Promise<void>((resolve) => {
        streams.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class Routes {
  aws?: AwsPanel;
  users?: IamUsers;

  constructor(
    private readonly options: ConsoleOptions,
    private readonly slack: SlackHttp,
    private readonly bot: BotLink,
    private readonly streams: EventStreams,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.slack.handle(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname}`;
    // No one named: the first person, as a page opened for the first time starts.
    const user = url.searchParams.get('user') || (this.options.people[0]?.id ?? '');
    switch (route) {
      case 'GET /console/state':
        if (!this.isPerson(user)) return sendJson(res, 400, { ok: false, error: 'unknown user' });
        return sendJson(
          res,
          200,
          stateView(this.options.workspace, user, this.bot.state, { suggestions: this.options.suggestions }),
        );
      case 'GET /console/events':
        if (!this.isPerson(user)) return sendJson(res, 400, { ok: false, error: 'unknown user' });
        return this.streams.open(res, user, this.bot.state);
      case 'POST /console/command':
      case 'POST /console/message':
      case 'POST /console/click':
        return this.act(route, await readJson(req), res);
      case 'POST /console/home':
      case 'POST /console/home-click':
        return this.home(route, await readJson(req), res);
      case 'GET /console/aws':
        if (!this.aws) return sendJson(res, 503, { ok: false, error: 'The emulator is starting' });
        return sendJson(res, 200, { ...(await this.aws.snapshot()), users: this.users?.list() ?? [] });
      case 'POST /console/traffic':
        return this.traffic(await readJson(req), res);
      case 'POST /console/act':
        return this.actAs(await readJson(req), res);
      default:
        if (req.method === 'GET' && (await serveStatic(this.options.staticDir, url.pathname, res))) return;
        sendJson(res, 404, { ok: false, error: 'not_found' });
    }
  }

  private async act(route: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const { user, channel } = body;
    if (typeof user !== 'string' || !this.isPerson(user))
      return sendJson(res, 400, { ok: false, error: 'unknown user' });
    if (typeof channel !== 'string' || !this.options.workspace.channels.has(channel)) {
      return sendJson(res, 400, { ok: false, error: 'unknown channel' });
    }
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (route === 'POST /console/click') {
      const { ts, block_id: blockId, action_id: actionId } = body;
      if (typeof ts !== 'string' || typeof actionId !== 'string') {
        return sendJson(res, 400, { ok: false, error: 'ts and action_id are required' });
      }
      return sendJson(res, 200, await this.bot.click(user, channel, ts, String(blockId ?? ''), actionId));
    }
    if (text === '') return sendJson(res, 400, { ok: false, error: 'nothing to send' });
    if (route === 'POST /console/message' || !text.startsWith('/')) {
      this.options.workspace.post({ channel, user, text: escapeText(text) });
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 200, await this.bot.command(user, channel, text));
  }

  /** The Home tab: opened (the bot is told, and publishes it), or one of its buttons clicked. */
  private async home(route: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const { user } = body;
    if (typeof user !== 'string' || !this.isPerson(user))
      return sendJson(res, 400, { ok: false, error: 'unknown user' });
    if (route === 'POST /console/home') return sendJson(res, 200, await this.bot.openHome(user));
    const { block_id: blockId, action_id: actionId } = body;
    if (typeof actionId !== 'string') return sendJson(res, 400, { ok: false, error: 'action_id is required' });
    return sendJson(res, 200, await this.bot.homeClick(user, String(blockId ?? ''), actionId));
  }

  private async traffic(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const aws = this.aws;
    if (!aws) return sendJson(res, 503, { ok: false, error: 'The emulator is starting' });
    // `account` is the 12-digit ID, as the emulator's traffic API takes it.
    const { account, region, function: fn, alias, version, errorRate, durationMs } = body;
    if (typeof account !== 'string' || typeof region !== 'string') {
      return sendJson(res, 400, { ok: false, error: 'account and region are required' });
    }
    if (!aws.knows(account, region)) {
      return sendJson(res, 400, { ok: false, error: `the panel has no account ${account} in ${region}` });
    }
    if (typeof fn !== 'string' || typeof alias !== 'string' || typeof version !== 'string') {
      return sendJson(res, 400, { ok: false, error: 'function, alias and version are required' });
    }
    if (typeof errorRate !== 'number' || errorRate < 0 || errorRate > 1) {
      return sendJson(res, 400, { ok: false, error: 'errorRate must be between 0 and 1' });
    }
    if (typeof durationMs !== 'number' || !(durationMs > 0) || durationMs > 900_000) {
      return sendJson(res, 400, { ok: false, error: 'durationMs must be above 0 and at most 900000' });
    }
    await aws.setFailure({ accountId: account, region, function: fn, alias, version, errorRate, durationMs });
    sendJson(res, 200, { ok: true });
  }

  /** `{user, account, region, kind: "move", function, alias, version}` or `{…, kind: "publish", function}`. */
  private async actAs(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const { aws, users } = this;
    if (!aws) return sendJson(res, 503, { ok: false, error: 'The emulator is starting' });
    const { user: name, account, region, kind, function: fn, alias, version } = body;
    const user = typeof name === 'string' ? users?.find(name) : undefined;
    if (!users || !user) return sendJson(res, 400, { ok: false, error: 'user must be one of the panel’s IAM users' });
    if (typeof account !== 'string' || typeof region !== 'string') {
      return sendJson(res, 400, { ok: false, error: 'account and region are required' });
    }
    // Their key acts in their own account only: anywhere else it would not be them at all.
    if (account !== user.accountId) {
      return sendJson(res, 400, { ok: false, error: `${user.name} has access to account ${user.accountId} only` });
    }
    if (!aws.knows(account, region)) {
      return sendJson(res, 400, { ok: false, error: `the panel has no account ${account} in ${region}` });
    }
    if (typeof fn !== 'string' || fn === '') return sendJson(res, 400, { ok: false, error: 'function is required' });
    let act: ConsoleAct;
    if (kind === 'publish') act = { kind, function: fn };
    else if (kind === 'move' && typeof alias === 'string' && typeof version === 'string')
      act = { kind, function: fn, alias, version };
    else return sendJson(res, 400, { ok: false, error: 'kind must be move (with alias and version) or publish' });
    try {
      return sendJson(res, 200, { ok: true, ...(await users.act(user, region, act)) });
    } catch (error) {
      // AWS said no (no such alias or version, …): the page shows why, as the console would.
      return sendJson(res, 400, { ok: false, error: (error as Error).message });
    }
  }

  private isPerson(id: string): boolean {
    return this.options.people.some((p) => p.id === id);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse((await readBody(req)) || '{}');
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new SandboxError(
              `Port ${port} on ${host} is taken. Stop what uses it, or choose another: SANDBOX_PORT=3001 npm run sandbox`,
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}
