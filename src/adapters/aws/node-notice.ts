import { type PastEndOfLife, pastEndOfLife } from '../../domain/node-line.js';

/**
 * On a Node.js line past its end of life the AWS SDK writes a multi-line NodeVersionSupportWarning
 * to stderr when its first client is made (`emitWarningIfUnsupportedVersion` in @aws-sdk/core). The
 * bot says the same once, in one log line of its own, so the SDK's notice is turned off with the
 * SDK's own switch, which it reads when that first client is made: call this before any client
 * exists. On a maintained line nothing is changed, so that a notice of a later SDK still shows.
 * Returns the line past its end of life, if it is one.
 */
export function replaceSdkNodeNotice(
  version: string = process.versions.node,
  env: NodeJS.ProcessEnv = process.env,
): PastEndOfLife | undefined {
  const past = pastEndOfLife(version);
  if (past) env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return past;
}
