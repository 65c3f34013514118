/**
 * The one place that reads the environment and the policy file. Everything else receives
 * a typed, validated `Config`. Every problem is reported at once, one line each, naming the
 * variable or the YAML path, and no line ever echoes a secret's value.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parsePolicy } from './config/policy.js';
import { REGION } from './config/policy-accounts.js';
import { parseRedisSettings, type RedisSettings } from './config/redis.js';
import type { AuditArchivePolicy, Policy } from './domain/policy-model.js';

export interface Config {
  readonly slack: {
    readonly botToken: string;
    /** Absent in Socket Mode. */
    readonly signingSecret?: string;
    /** Present: Socket Mode. */
    readonly appToken?: string;
    readonly apiUrl: string;
  };
  readonly port: number;
  readonly redis: RedisSettings;
  readonly aws: { readonly region?: string; readonly endpoint?: string };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly policyFile: string;
  readonly policy: Policy;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const url = (schemes: readonly string[], hint: string) =>
  z.string().refine((text) => {
    try {
      return schemes.includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, hint);

/** Messages name the rule, never the value: these variables hold secrets. */
const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'required (the xoxb- bot token)' })
    .startsWith('xoxb-', 'must be a bot token (xoxb-…)'),
  SLACK_SIGNING_SECRET: z.string().min(1, 'is empty').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: url(['http:', 'https:'], 'must be an http(s) URL').default('https://slack.com/api/'),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be at most 65535')
    .default(3000),
  AWS_REGION: z.string().regex(REGION, 'must be a region like us-east-1').optional(),
  AWS_ENDPOINT_URL: url(['http:', 'https:'], 'must be an http(s) URL').optional(),
  LAMBDA_BOT_CONFIG: z.string().min(1).default('./lambda-bot.yml'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Empty variables count as unset, as shells and .env files commonly leave them. */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = envSchema.safeParse(present(env));
  const problems: string[] = parsed.success ? [] : problemLines(parsed.error);
  const redis = parseRedisSettings(present(env));
  if (!redis.ok) problems.push(...redis.problems);
  const vars = parsed.success ? parsed.data : undefined;
  if (vars && vars.SLACK_APP_TOKEN === undefined && vars.SLACK_SIGNING_SECRET === undefined) {
    problems.push('SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const policyFile = present(env).LAMBDA_BOT_CONFIG ?? './lambda-bot.yml';
  const policy = readPolicy(policyFile, problems, vars?.AWS_REGION);
  if (!vars || !policy || !redis.ok || problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      slack: {
        botToken: vars.SLACK_BOT_TOKEN,
        ...(vars.SLACK_SIGNING_SECRET ? { signingSecret: vars.SLACK_SIGNING_SECRET } : {}),
        ...(vars.SLACK_APP_TOKEN ? { appToken: vars.SLACK_APP_TOKEN } : {}),
        apiUrl: vars.SLACK_API_URL.endsWith('/') ? vars.SLACK_API_URL : `${vars.SLACK_API_URL}/`,
      },
      port: vars.PORT,
      redis: redis.redis,
      aws: {
        ...(vars.AWS_REGION ? { region: vars.AWS_REGION } : {}),
        ...(vars.AWS_ENDPOINT_URL ? { endpoint: vars.AWS_ENDPOINT_URL } : {}),
      },
      logLevel: vars.LOG_LEVEL,
      policyFile,
      policy,
    },
  };
}

export type RedisConfigResult = { ok: true; redis: RedisSettings } | { ok: false; problems: string[] };

/**
 * Only the Redis settings, with the same rules and defaults as `loadConfig`, for tools that must not
 * need Slack settings or a policy file (`npm run audit`, `npm run bench`).
 */
export function loadRedisConfig(env: NodeJS.ProcessEnv = process.env): RedisConfigResult {
  return parseRedisSettings(present(env));
}

/** What `npm run audit -- … --archive` reads besides Redis: the AWS settings and the policy's archive and accounts. */
export interface ArchiveConfig {
  readonly aws: Config['aws'];
  readonly policyFile: string;
  readonly policy: Policy;
  readonly archive: AuditArchivePolicy;
}

export type ArchiveConfigResult = { ok: true; config: ArchiveConfig } | { ok: false; problems: string[] };

/**
 * The archive's settings as the bot reads them (AWS_REGION, AWS_ENDPOINT_URL, LAMBDA_BOT_CONFIG with
 * the same rules and default), for the audit CLI: no Slack settings are needed to read an archive.
 */
export function loadArchiveConfig(env: NodeJS.ProcessEnv = process.env): ArchiveConfigResult {
  const vars = present(env);
  const parsed = envSchema.pick({ AWS_REGION: true, AWS_ENDPOINT_URL: true, LAMBDA_BOT_CONFIG: true }).safeParse(vars);
  const problems: string[] = parsed.success ? [] : problemLines(parsed.error);
  const policyFile = vars.LAMBDA_BOT_CONFIG ?? './lambda-bot.yml';
  const policy = readPolicy(policyFile, problems, parsed.success ? parsed.data.AWS_REGION : undefined);
  if (!parsed.success || !policy || problems.length > 0) return { ok: false, problems };
  if (policy.auditArchive === undefined) {
    return { ok: false, problems: [`${policyFile}: audit_archive: not set, so there is no archive to read`] };
  }
  const { AWS_REGION: region, AWS_ENDPOINT_URL: endpoint } = parsed.data;
  return {
    ok: true,
    config: {
      aws: { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) },
      policyFile,
      policy,
      archive: policy.auditArchive,
    },
  };
}

function problemLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
}

function readPolicy(file: string, problems: string[], defaultRegion: string | undefined): Policy | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code})`;
    problems.push(`LAMBDA_BOT_CONFIG: ${file}: ${why}`);
    return undefined;
  }
  const result = parsePolicy(text, { defaultRegion });
  if (result.ok) return result.policy;
  for (const p of result.problems) problems.push(`${file}: ${p}`);
  return undefined;
}
