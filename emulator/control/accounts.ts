import { isAccountId } from '../core/place.js';
import { assumedRoleArn, isTrustEntry, parseRoleArn, rootArn } from '../iam/arns.js';
import type { Role, RoleSpec } from '../iam/roles.js';
import { bad, type ControlHandler, ok } from './reply.js';
import { placeFrom } from './specs.js';

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ACCESS_KEY_ID = /^\w{1,128}$/;

/** Checks a `PUT /_emulator/roles` body; a bare account id in `trust` stands for that account's root, as in IAM. */
function readRole(input: Record<string, unknown>): RoleSpec | string {
  const { arn, trust, externalId, maxSessionDuration } = input;
  if (typeof arn !== 'string' || !parseRoleArn(arn)) {
    return 'arn must be a role ARN, arn:aws:iam::ACCOUNT:role/NAME';
  }
  if (!Array.isArray(trust) || trust.some((t) => typeof t !== 'string')) return 'trust must be an array of ARNs';
  const entries = trust.map((t: string) => (isAccountId(t) ? rootArn(t) : t));
  const wrong = entries.find((t) => !isTrustEntry(t));
  if (wrong !== undefined) {
    return `trust entries must be "*", an account id, or a root, user, role or assumed-role ARN; got ${wrong}`;
  }
  if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID.test(externalId))) {
    return 'externalId must be 2–1224 characters of [\\w+=,.@:/-]';
  }
  if (
    maxSessionDuration !== undefined &&
    !(
      Number.isInteger(maxSessionDuration) &&
      (maxSessionDuration as number) >= 3600 &&
      (maxSessionDuration as number) <= 43200
    )
  ) {
    return 'maxSessionDuration must be an integer number of seconds, 3600–43200';
  }
  return {
    arn,
    trust: entries,
    ...(externalId === undefined ? {} : { externalId: externalId as string }),
    ...(maxSessionDuration === undefined ? {} : { maxSessionDuration: maxSessionDuration as number }),
  };
}

const roleView = (role: Role) => ({
  arn: role.arn,
  roleId: role.roleId,
  trust: role.trust,
  ...(role.externalId === undefined ? {} : { externalId: role.externalId }),
  maxSessionDuration: role.maxSessionDuration,
});

/** `PUT /_emulator/roles`: creates a role, or replaces its trust, external ID and maximum (keeping its id). */
export const putRole: ControlHandler = (app, input) => {
  const spec = readRole(input);
  return typeof spec === 'string' ? bad(spec) : ok(roleView(app.iam.roles.put(spec)));
};

/** `GET /_emulator/roles`. */
export const getRoles: ControlHandler = (app) => ok({ roles: app.iam.roles.list().map(roleView) });

/** `DELETE /_emulator/roles?arn=…`: its sessions are refused from then on. */
export const deleteRole: ControlHandler = (app, _input, url) => {
  const arn = url.searchParams.get('arn');
  if (!arn) return bad('arn is required');
  return app.iam.roles.delete(arn) ? ok() : bad('no such role', 404);
};

/** `PUT /_emulator/principals`: requests signed with `accessKeyId` are the acts of that IAM user (or root). */
export const putPrincipal: ControlHandler = (app, input) => {
  const { accessKeyId, arn } = input;
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    return bad('accessKeyId must be 1–128 word characters');
  }
  if (typeof arn !== 'string') return bad('arn is required');
  const principal = app.iam.principals.put(accessKeyId, arn);
  if (!principal) return bad('arn must be an IAM user ARN (arn:aws:iam::ACCOUNT:user/NAME) or a root ARN');
  return ok(principal);
};

/** `GET /_emulator/principals`. */
export const getPrincipals: ControlHandler = (app) => ok({ principals: app.iam.principals.list() });

/** `DELETE /_emulator/principals?accessKeyId=…`. */
export const deletePrincipal: ControlHandler = (app, _input, url) => {
  const key = url.searchParams.get('accessKeyId');
  if (!key) return bad('accessKeyId is required');
  return app.iam.principals.delete(key) ? ok() : bad('no such principal', 404);
};

/** `PUT /_emulator/regions`: `{"account", "region", "enabled"}` switches a region off (or on again) for an account. */
export const putRegion: ControlHandler = (app, input) => {
  if (input.account === undefined || input.region === undefined) return bad('account and region are required');
  const where = placeFrom(input);
  if (typeof where === 'string') return bad(where);
  if (typeof input.enabled !== 'boolean') return bad('enabled must be true or false');
  return ok(app.iam.regions.set(where, input.enabled));
};

/** `GET /_emulator/regions`: the regions switched, on or off. */
export const getRegions: ControlHandler = (app) => ok({ regions: app.iam.regions.list() });

/** `GET /_emulator/sessions`: the credentials AssumeRole issued (without secrets), for debugging a test. */
export const getSessions: ControlHandler = (app) =>
  ok({
    sessions: app.iam.sessions.list().map((s) => ({
      accessKeyId: s.accessKeyId,
      arn: assumedRoleArn(s.account, s.roleName, s.sessionName),
      account: s.account,
      roleArn: s.roleArn,
      sessionName: s.sessionName,
      ...(s.sourceIdentity === undefined ? {} : { sourceIdentity: s.sourceIdentity }),
      expiration: new Date(s.expiresAt).toISOString(),
      revoked: app.iam.revoked(s),
    })),
  });
