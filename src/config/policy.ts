import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration, periodMs } from '../domain/duration.js';
import { closest } from '../domain/grammar/suggest.js';
import { DEFAULT_THRESHOLDS, type JudgeThresholds } from '../domain/judge.js';
import { checkAliasName, checkFunctionName } from '../domain/names.js';
import type { AccountPolicy, AliasPolicy, FunctionPolicy, Policy } from '../domain/policy-model.js';
import { accountSchema, checkPlacement, regionSchema } from './policy-accounts.js';
import { auditArchiveSchema, checkArchive, retainInRedisSchema, toAuditArchive } from './policy-archive.js';
import { breakglassReviewSchema, checkGates, gatesSchema, toGates } from './policy-gates.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;

const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID (C…, G… or D…)');
const principal = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'must be a Slack user ID (U…/W…) or user-group ID (S…)');

function duration(minMs: number, maxMs: number, hint: string) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 30s, 5m or 1h` });
    else if (ms < minMs || ms > maxMs) ctx.addIssue({ code: 'custom', message: hint });
    return ms ?? 0;
  });
}

const probability = z.number().gt(0, 'must be above 0').lt(1, 'must be below 1');
const judgeSchema = z.strictObject({
  min_invocations: z.int().min(1).max(10_000_000).optional(),
  max_wait: duration(SECOND, DAY, 'must be between 1s and 1 day').optional(),
  fail_p: probability.optional(),
  marginal_p: probability.optional(),
  min_error_rate_delta: z.number().min(0).max(100).optional(),
  min_error_rate_ratio: z.number().min(1).optional(),
  p99_fail_ratio: z.number().gt(1).optional(),
  p99_marginal_ratio: z.number().gt(1).optional(),
});

const aliasSchema = z.strictObject({
  protected: z.boolean().default(false),
  required_approvals: z.int().min(1, 'must be at least 1').max(10, 'must be at most 10').default(1),
  approvers: z.array(z.string().min(1)).min(1, 'must name at least one role').default(['approvers']),
  approvals_channel: channelId.optional(),
  judge: judgeSchema.default({}),
  outside_changes: z.enum(['alert', 'revert'], { error: 'must be alert or revert' }).default('alert'),
  gates: gatesSchema.optional(),
});

const functionSchema = z.strictObject({
  account: z.string().min(1).optional(),
  region: regionSchema.optional(),
  name: z.string().min(1).optional(),
  alerts_channel: channelId.optional(),
  alarms: z.array(z.string().min(1).max(255)).default([]),
  aliases: z
    .record(
      z.string(),
      aliasSchema.nullable().transform((a) => a ?? aliasSchema.parse({})),
    )
    .default({}),
});

const policySchema = z.strictObject({
  accounts: z
    .record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'account names are lower-case words'), accountSchema)
    .default({}),
  channels: z.strictObject({ approvals: channelId, alerts: channelId }),
  approval_ttl: duration(SECOND, 7 * DAY, 'must be between 1s and 7 days').default(30 * 60 * SECOND),
  alarm_poll_interval: duration(5 * SECOND, DAY, 'must be at least 5s (CloudWatch quotas) and at most 1 day').default(
    30 * SECOND,
  ),
  watch_interval: duration(10 * SECOND, DAY, 'must be at least 10s (Lambda API quotas) and at most 1 day').default(
    60 * SECOND,
  ),
  breakglass_review: breakglassReviewSchema,
  // Below a minute every flap would be a new alert anyway; above a day an alert would never close.
  realert_after: duration(MINUTE, DAY, 'must be between 1m and 1 day').default(10 * MINUTE),
  roles: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'role names are lower-case words'), z.array(principal)),
  functions: z.record(
    z.string(),
    functionSchema.nullable().transform((f) => f ?? functionSchema.parse({})),
  ),
  audit_archive: auditArchiveSchema.optional(),
  audit_retain_in_redis: retainInRedisSchema,
});

type RawPolicy = z.infer<typeof policySchema>;

/**
 * Parses and validates the policy file. Returns every problem at once, each naming its
 * YAML path (`functions.payments-api.aliases.prod.required_approvals: must be at least 1`).
 */
export function parsePolicy(
  yamlText: string,
  options: { readonly defaultRegion?: string | undefined } = {},
): { ok: true; policy: Policy } | { ok: false; problems: string[] } {
  const doc = parseDocument(yamlText, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`) };
  }
  const parsed = policySchema.safeParse(doc.toJS() ?? {}, { error: plainMessage });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
  }
  const problems = [
    ...crossCheck(parsed.data),
    ...checkPlacement(parsed.data.accounts, parsed.data.functions, options.defaultRegion),
    ...checkArchive(parsed.data.audit_archive, Object.keys(parsed.data.accounts)),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: toPolicy(parsed.data) };
}

/** Rules that span fields: names AWS would refuse, approver roles that do not exist. */
function crossCheck(raw: RawPolicy): string[] {
  const problems: string[] = [];
  for (const role of ['deployers', 'approvers', 'responders']) {
    if (!(role in raw.roles)) problems.push(`roles.${role}: missing (use [] for nobody)`);
  }
  for (const [fn, f] of Object.entries(raw.functions)) {
    for (const [alias, a] of Object.entries(f.aliases)) {
      if ((a.judge.fail_p ?? DEFAULT_THRESHOLDS.failP) > (a.judge.marginal_p ?? DEFAULT_THRESHOLDS.marginalP)) {
        problems.push(`functions.${fn}.aliases.${alias}.judge: fail_p must not be above marginal_p`);
      }
    }
    const fnProblem = checkFunctionName(fn);
    if (fnProblem) problems.push(`functions.${fn}: ${fnProblem.problem}`);
    const awsName = f.name === undefined ? undefined : checkFunctionName(f.name);
    if (awsName) problems.push(`functions.${fn}.name: ${awsName.problem}`);
    for (const [alias, a] of Object.entries(f.aliases)) {
      const aliasProblem = checkAliasName(alias);
      if (aliasProblem) problems.push(`functions.${fn}.aliases.${alias}: ${aliasProblem.problem}`);
      if (a.gates) {
        problems.push(...checkGates(`functions.${fn}.aliases.${alias}.gates`, alias, a.gates, Object.keys(f.aliases)));
      }
      a.approvers.forEach((role, i) => {
        if (!(role in raw.roles)) {
          problems.push(`functions.${fn}.aliases.${alias}.approvers[${i}]: no role "${role}" in roles`);
        }
      });
    }
  }
  return problems;
}

function toPolicy(raw: RawPolicy): Policy {
  const functions = new Map<string, FunctionPolicy>();
  for (const [fn, f] of Object.entries(raw.functions)) {
    const aliases = new Map<string, AliasPolicy>();
    for (const [alias, a] of Object.entries(f.aliases)) {
      aliases.set(alias, {
        protected: a.protected,
        requiredApprovals: a.required_approvals,
        approvers: a.approvers,
        ...(a.approvals_channel ? { approvalsChannel: a.approvals_channel } : {}),
        judge: thresholds(a.judge),
        outsideChanges: a.outside_changes,
        ...(a.gates ? { gates: toGates(a.gates) } : {}),
      });
    }
    functions.set(fn, {
      name: f.name ?? fn,
      ...(f.account ? { account: f.account } : {}),
      ...(f.region ? { region: f.region } : {}),
      ...(f.alerts_channel ? { alertsChannel: f.alerts_channel } : {}),
      alarms: f.alarms,
      aliases,
    });
  }
  const accounts = new Map<string, AccountPolicy>();
  for (const [name, a] of Object.entries(raw.accounts)) {
    accounts.set(name, { id: a.id, roleArn: a.role_arn, ...(a.external_id ? { externalId: a.external_id } : {}) });
  }
  return {
    accounts,
    channels: raw.channels,
    approvalTtlMs: raw.approval_ttl,
    breakglassReviewMs: raw.breakglass_review,
    alarmPollIntervalMs: raw.alarm_poll_interval,
    watchIntervalMs: raw.watch_interval,
    realertAfterMs: raw.realert_after,
    roles: new Map(Object.entries(raw.roles)),
    functions,
    ...(raw.audit_archive ? { auditArchive: toAuditArchive(raw.audit_archive) } : {}),
    auditRetainInRedisMs: periodMs(raw.audit_retain_in_redis),
  };
}

const KNOWN_KEYS = [
  ...Object.keys(policySchema.shape),
  ...Object.keys(functionSchema.shape),
  ...Object.keys(aliasSchema.shape),
  ...Object.keys(judgeSchema.shape),
  ...Object.keys(accountSchema.shape),
  ...Object.keys(gatesSchema.shape),
  ...Object.keys(auditArchiveSchema.shape),
  'approvals',
  'alerts',
];

/** Zod's default messages speak of types; these speak of the policy file. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? 'required' : `must be ${article(issue.expected)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => {
        const guess = closest(key, KNOWN_KEYS);
        return `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
      })
      .join('; ');
  }
  return undefined;
}

function article(expected: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'a mapping', record: 'a mapping' };
  return names[expected] ?? `a ${expected}`;
}

function thresholds(raw: z.infer<typeof judgeSchema>): JudgeThresholds {
  const d = DEFAULT_THRESHOLDS;
  return {
    minInvocations: raw.min_invocations ?? d.minInvocations,
    maxWaitMs: raw.max_wait ?? d.maxWaitMs,
    failP: raw.fail_p ?? d.failP,
    marginalP: raw.marginal_p ?? d.marginalP,
    minErrorRateDelta: raw.min_error_rate_delta ?? d.minErrorRateDelta,
    minErrorRateRatio: raw.min_error_rate_ratio ?? d.minErrorRateRatio,
    p99FailRatio: raw.p99_fail_ratio ?? d.p99FailRatio,
    p99MarginalRatio: raw.p99_marginal_ratio ?? d.p99MarginalRatio,
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
