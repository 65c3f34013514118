import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may carry credentials in anything we log. Slack's legacy verification `token`
 * rides in every slash-command body, and headers carry signatures and bearer tokens.
 */
const REDACT = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'appToken',
  '*.appToken',
  'authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'body.token',
  'payload.token',
  'environment',
  '*.environment',
  'Environment',
  '*.Environment',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'lambda-bot' },
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination as pino.DestinationStream | undefined,
  );
}

const BOLT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Bolt's logger interface over pino. Bolt's debug output includes whole request bodies, so it
 * is never allowed below `info` whatever LOG_LEVEL says.
 */
export function boltLogger(parent: Logger): BoltLogger {
  const log = parent.child({ component: 'bolt' }, { level: floorInfo(parent.level) });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[level](
        msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' '),
      );
  let name = 'bolt';
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level: LogLevel) => {
      log.level = floorInfo(level);
    },
    getLevel: () => (BOLT_LEVELS.includes(log.level as never) ? log.level : 'info') as LogLevel,
    setName: (n: string) => {
      name = n;
      log.setBindings({ name });
    },
  };
}

function floorInfo(level: string): string {
  return level === 'debug' || level === 'trace' ? 'info' : level;
}
