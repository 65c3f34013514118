import type { WebClient } from '@slack/web-api';
import { BotError } from '../../domain/errors.js';
import type { Clock, Directory } from '../../ports.js';

/** Long enough to spare Slack's rate limits, short enough that a removal takes effect within a minute. */
const TTL_MS = 60_000;

/**
 * Slack user groups through `usergroups.users.list`, cached briefly. A user missing from a
 * cached list triggers one fresh read ("refreshed on miss"), so someone just added to a group
 * is not refused for a minute; removal takes effect when the entry expires.
 */
export class SlackDirectory implements Directory {
  private readonly cache = new Map<string, { members: ReadonlySet<string>; at: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly clock: Clock,
    /** Told when Slack answers but refuses (a group that does not exist, a missing scope). */
    private readonly warn: (message: string, group: string) => void = () => {},
  ) {}

  async groupsOf(user: string, groups: readonly string[]): Promise<ReadonlySet<string>> {
    const member = await Promise.all(groups.map(async (g) => ((await this.isMember(user, g)) ? g : undefined)));
    return new Set(member.filter((g): g is string => g !== undefined));
  }

  private async isMember(user: string, group: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(group);
    if (cached && now - cached.at < TTL_MS) {
      if (cached.members.has(user)) return true;
      // A miss may be a recent addition: refresh at most once every few seconds per group.
      if (now - cached.at < 5_000) return false;
    }
    return (await this.load(group, now)).has(user);
  }

  private async load(group: string, now: number): Promise<ReadonlySet<string>> {
    try {
      const result = await this.client.usergroups.users.list({ usergroup: group });
      const members = new Set(result.users ?? []);
      this.cache.set(group, { members, at: now });
      return members;
    } catch (error) {
      const refusal = (error as { code?: string; data?: { error?: string } }).data?.error;
      if ((error as { code?: string }).code === 'slack_webapi_platform_error' && refusal) {
        // Slack answered: the group has no members we can see. Nobody gains a role through it.
        this.warn(`usergroups.users.list refused: ${refusal}`, group);
        this.cache.set(group, { members: new Set(), at: now });
        return new Set();
      }
      const stale = this.cache.get(group);
      // Slack unreachable: a recent answer is better than refusing everyone.
      if (stale) return stale.members;
      throw new BotError('slack-unavailable', `could not read the members of user group ${group}`, { cause: error });
    }
  }
}
