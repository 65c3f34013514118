import type { Place } from '../core/place.js';
import { assumedRoleArn } from '../iam/arns.js';
import type { AssumedRole } from '../sts/context.js';
import type { ApiCall } from './record.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The form CloudTrail writes an AssumeRole `expiration` in (Java's medium date-time in English):
 *
 * @example javaMediumDate(Date.UTC(2026, 10, 26, 15, 0, 0)) // 'Nov 26, 2026, 3:00:00 PM'
 */
export function javaMediumDate(ms: number): string {
  const d = new Date(ms);
  const hour = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ` +
    `${hour}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`
  );
}

/**
 * The parts of an AssumeRole record that come from the call: recorded in the role's account (in the region of the
 * STS endpoint called), read-only, with the role as its resource.
 */
export function assumeRoleApiCall(
  assumed: AssumedRole,
  region: string,
): Pick<
  ApiCall,
  | 'place'
  | 'eventSource'
  | 'eventName'
  | 'readOnly'
  | 'requestParameters'
  | 'responseElements'
  | 'recordResources'
  | 'resources'
> {
  const { role, session } = assumed;
  const place: Place = { account: role.account, region };
  const sessionArn = assumedRoleArn(role.account, role.name, session.sessionName);
  return {
    place,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    requestParameters: {
      roleArn: role.arn,
      roleSessionName: session.sessionName,
      ...(assumed.durationSeconds === undefined ? {} : { durationSeconds: assumed.durationSeconds }),
      ...(assumed.externalId === undefined ? {} : { externalId: assumed.externalId }),
      ...(assumed.requestedSourceIdentity === undefined ? {} : { sourceIdentity: assumed.requestedSourceIdentity }),
    },
    responseElements: {
      credentials: {
        accessKeyId: session.accessKeyId,
        sessionToken: session.sessionToken,
        expiration: javaMediumDate(session.expiresAt),
      },
      assumedRoleUser: { assumedRoleId: `${role.roleId}:${session.sessionName}`, arn: sessionArn },
      ...(session.sourceIdentity === undefined ? {} : { sourceIdentity: session.sourceIdentity }),
    },
    recordResources: [{ accountId: role.account, type: 'AWS::IAM::Role', ARN: role.arn }],
    resources: [
      { ResourceType: 'AWS::IAM::AccessKey', ResourceName: session.accessKeyId },
      { ResourceType: 'AWS::STS::AssumedRole', ResourceName: sessionArn },
      { ResourceType: 'AWS::IAM::Role', ResourceName: role.arn },
    ],
  };
}
