import { formatDuration } from '../../../domain/duration.js';
import type { ArchiveLagNotice } from '../../../domain/notice.js';
import { context, section } from '../message.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import type { PostedMessage } from './notices.js';

/**
 * The audit archive falling behind, or catching up. Behind is not an outage: changes go on and
 * every record stays in Redis until archived; the message says so, so nobody stops deploying over it.
 */
export function renderArchiveLag(n: ArchiveLagNotice): PostedMessage {
  const bucket = escapeMrkdwn(n.bucket);
  if (n.state === 'recovered') {
    const text = `The audit archive has caught up (bucket ${n.bucket}).`;
    return { text, blocks: [section(`:white_check_mark: The audit archive has caught up: bucket \`${bucket}\`.`)] };
  }
  const age = formatDuration(n.lagMs);
  const text = `The audit archive is ${age} behind: ${n.records} records not archived yet (bucket ${n.bucket}).`;
  const blocks = [
    section(
      `:warning: *The audit archive is ${age} behind*: ${n.records} records are not in bucket \`${bucket}\` yet.`,
    ),
    ...(n.reason ? [section(`Last error: ${escapeMrkdwn(n.reason)}`)] : []),
    context(
      'Changes go on, and records stay in Redis until they are archived. The bot keeps retrying; check the bucket, its permissions and the network to S3.',
    ),
  ];
  return { text, blocks };
}
