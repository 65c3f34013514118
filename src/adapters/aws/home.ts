import { STSClient } from '@aws-sdk/client-sts';
import type { AwsSettings } from './clients.js';

/**
 * The bot's default region: AWS_REGION, or whatever the SDK's own chain finds (the shared config
 * file's profile). Every function without `region:` is there, so the bot cannot start without one.
 */
export async function homeOf(settings: AwsSettings): Promise<{ readonly region: string }> {
  if (settings.region) return { region: settings.region };
  const probe = new STSClient({});
  try {
    return { region: await probe.config.region() };
  } catch {
    throw new Error('no AWS region: set AWS_REGION (or a region in the AWS profile the bot runs with)');
  } finally {
    probe.destroy();
  }
}
