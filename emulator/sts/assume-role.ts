import { assumedRoleArn, rootArn } from '../iam/arns.js';
import type { Caller } from '../iam/identity.js';
import type { Role } from '../iam/roles.js';
import type { SessionTag } from '../iam/sessions.js';
import type { StsContext, StsHandler } from './context.js';
import { accessDenied, regionDisabled, validationError } from './errors.js';
import type { QueryInput } from './form.js';
import { sessionTags } from './session-tags.js';
import { Constraints, EXTERNAL_ID_PATTERN, NAME_PATTERN, TAG_KEY_PATTERN, TAG_VALUE_PATTERN } from './validation.js';

/** The default and the role-chaining limit of DurationSeconds. */
const ONE_HOUR = 3600;

/** The members of an AssumeRole request, checked against the STS model's constraints. */
interface Request {
  roleArn: string;
  sessionName: string;
  durationSeconds: number | undefined;
  externalId: string | undefined;
  sourceIdentity: string | undefined;
  tags: SessionTag[];
  transitiveKeys: string[];
  policySize: number;
}

function readRequest(input: QueryInput): Request {
  const c = new Constraints();
  const roleArn = input.get('RoleArn');
  const sessionName = input.get('RoleSessionName');
  const tagRecords = input.records('Tags');
  const transitiveKeys = input.list('TransitiveTagKeys');
  const externalId = input.get('ExternalId');
  const sourceIdentity = input.get('SourceIdentity');
  const policy = input.get('Policy');
  c.text(roleArn, 'roleArn', { min: 20, max: 2048, required: true });
  c.text(sessionName, 'roleSessionName', { min: 2, max: 64, pattern: NAME_PATTERN, required: true });
  c.text(policy, 'policy', { min: 1, max: 100000 });
  const durationSeconds = c.integer(input.get('DurationSeconds'), 'durationSeconds', 900, 43200);
  c.listSize(tagRecords.length, 'tags', 50);
  tagRecords.forEach((tag, i) => {
    c.text(tag.Key, `tags.${i + 1}.member.key`, { min: 1, max: 128, pattern: TAG_KEY_PATTERN, required: true });
    c.text(tag.Value, `tags.${i + 1}.member.value`, { min: 0, max: 256, pattern: TAG_VALUE_PATTERN, required: true });
  });
  c.listSize(transitiveKeys.length, 'transitiveTagKeys', 50);
  c.text(externalId, 'externalId', { min: 2, max: 1224, pattern: EXTERNAL_ID_PATTERN });
  // A value starting `aws:` (reserved) already fails this pattern, which has no colon.
  c.text(sourceIdentity, 'sourceIdentity', { min: 2, max: 64, pattern: NAME_PATTERN });
  c.check();
  const tags = tagRecords.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
  const policyArns = input.records('PolicyArns').map((p) => p.arn ?? '');
  const policySize =
    (policy?.length ?? 0) + policyArns.join('').length + tags.reduce((n, t) => n + t.key.length + t.value.length, 0);
  return {
    roleArn: roleArn as string,
    sessionName: sessionName as string,
    durationSeconds,
    externalId,
    sourceIdentity,
    tags,
    transitiveKeys,
    policySize,
  };
}

/** An ARN as STS checks its form before anything else (AWS's recorded "… is invalid" cases). */
function wellFormedArn(arn: string): boolean {
  const parts = arn.split(':');
  return (
    parts.length >= 6 && parts[0] === 'arn' && parts[1] !== '' && parts[2] !== '' && parts.slice(5).join(':') !== ''
  );
}

/** Whether a role's trust list names the caller: its ARN, its account's root, the role behind its session, or `*`. */
function trusts(role: Role, caller: Caller): boolean {
  return role.trust.some(
    (entry) =>
      entry === '*' ||
      entry === caller.arn ||
      entry === rootArn(caller.account) ||
      (caller.kind === 'session' && entry === caller.session.roleArn),
  );
}

/** The role, once the caller may assume it; AWS answers the same AccessDenied for every reason. */
function authorize(req: Request, ctx: StsContext): Role {
  const denied = accessDenied(ctx.caller.arn, 'sts:AssumeRole', req.roleArn);
  const role = ctx.iam.roles.get(req.roleArn);
  if (!role) throw denied;
  if (ctx.caller.kind === 'session' && ctx.iam.revoked(ctx.caller.session)) throw denied;
  if (!trusts(role, ctx.caller)) throw denied;
  if (role.externalId !== undefined && role.externalId !== req.externalId) throw denied;
  const inherited = ctx.caller.kind === 'session' ? ctx.caller.session.sourceIdentity : undefined;
  if (inherited !== undefined && req.sourceIdentity !== undefined && req.sourceIdentity !== inherited) {
    // The source identity "cannot be changed during the role session"; AWS's wording is not recorded (docs).
    throw accessDenied(ctx.caller.arn, 'sts:SetSourceIdentity', req.roleArn);
  }
  return role;
}

/** DurationSeconds against the role's maximum and, for a session assuming a role, the one-hour chaining limit. */
function durationOf(req: Request, role: Role, chained: boolean): number {
  const asked = req.durationSeconds;
  if (asked === undefined) return ONE_HOUR;
  if (chained && asked > ONE_HOUR) {
    throw validationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (asked > role.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return asked;
}

/** `2026-11-26T15:00:00Z`: STS writes Expiration to the second. */
const expirationText = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * AssumeRole: checks the request as STS does (model constraints, the ARN's form, the tag rules, the region, then
 * trust, external ID and source identity, then the duration) and issues temporary credentials in the role's account.
 */
export const assumeRole: StsHandler = (input, ctx) => {
  const req = readRequest(input);
  if (!wellFormedArn(req.roleArn)) throw validationError(`${req.roleArn} is invalid`);
  const callerSession = ctx.caller.kind === 'session' ? ctx.caller.session : undefined;
  const transitiveTags = sessionTags(req.tags, req.transitiveKeys, callerSession);
  const roleAccount = req.roleArn.split(':')[4] ?? '';
  if (!ctx.iam.regions.enabled({ account: roleAccount, region: ctx.place.region })) throw regionDisabled(roleAccount);
  const role = authorize(req, ctx);
  const seconds = durationOf(req, role, callerSession !== undefined);
  const now = ctx.clock.now();
  const sourceIdentity = req.sourceIdentity ?? callerSession?.sourceIdentity;
  const session = ctx.iam.sessions.issue({
    account: role.account,
    roleArn: role.arn,
    roleName: role.name,
    roleId: role.roleId,
    sessionName: req.sessionName,
    sourceIdentity,
    transitiveTags,
    issuedAt: now,
    expiresAt: Math.floor((now + seconds * 1000) / 1000) * 1000,
  });
  const sessionArn = assumedRoleArn(role.account, role.name, req.sessionName);
  return {
    members: [
      sourceIdentity === undefined ? undefined : ['SourceIdentity', sourceIdentity],
      [
        'AssumedRoleUser',
        [
          ['Arn', sessionArn],
          ['AssumedRoleId', `${role.roleId}:${req.sessionName}`],
        ],
      ],
      [
        'Credentials',
        [
          ['AccessKeyId', session.accessKeyId],
          ['SecretAccessKey', session.secretAccessKey],
          ['SessionToken', session.sessionToken],
          ['Expiration', expirationText(session.expiresAt)],
        ],
      ],
      // A percentage of the packed size limit, sent only when policies or tags were passed; the formula is ours.
      req.policySize > 0 ? ['PackedPolicySize', String(Math.min(100, Math.ceil(req.policySize / 20)))] : undefined,
    ],
    assumed: {
      role,
      session,
      durationSeconds: req.durationSeconds,
      externalId: req.externalId,
      requestedSourceIdentity: req.sourceIdentity,
    },
  };
};
