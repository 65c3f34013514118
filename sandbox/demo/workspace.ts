/**
 * The demo's Slack workspace as the console starts it: the team, the bot, Slackbot, the channels
 * and a welcome note in #deploys, and the commands the page offers to try.
 */
import { SLACKBOT } from '../console/bot-link.js';
import { Workspace } from '../slack/workspace.js';
import { BOT, CHANNELS, PEOPLE, TEAM } from './people.js';

export function demoWorkspace(): Workspace {
  const workspace = new Workspace(TEAM, BOT);
  workspace.addPerson(SLACKBOT);
  for (const person of PEOPLE) workspace.addPerson(person);
  for (const channel of Object.values(CHANNELS)) workspace.addChannel(channel);
  workspace.post({
    channel: CHANNELS.deploys.id,
    user: SLACKBOT.id,
    text: [
      '*Welcome to the sandbox.* Everything here is local: this page plays Slack, the emulator plays AWS.',
      'Switch between Alice (deployer), Bob (approver) and Carmen (on-call) at the top right.',
      'The team has two AWS accounts, staging and prod, prod in two regions: the panel on the right shows each apart. ' +
        '`payments-api` is in all three places, and the bot knows it as `payments-api` (prod, eu-west-1), `payments-api-us` (prod, us-east-1) and `payments-staging`.',
      `Try \`/lambda status payments-api\`, then \`/lambda promote payments-api:prod 5\` as Alice and approve it as Bob in <#${CHANNELS.approvals.id}>.`,
      `Then make v5 fail in the panel on the right, and roll back from the alert in <#${CHANNELS.alerts.id}> as Carmen.`,
      'Under *At the AWS console* in the panel, move `prod` as mallory, who has console access: the bot notices within 10 s, says who did it, and Carmen can put it back.',
      '`orders-api:prod` has gates: a version must serve `orders-api:staging` for a minute first, with the same code. Promote `orders-api:staging` to 4 as Alice, then `orders-api:prod` at once: refused, with the checklist. A minute later the same command asks Bob, showing the checklist.',
      `Last, in an emergency Carmen may break the glass: \`/lambda promote orders-api:prod 4 --break-glass checkout errors, approver asleep\` is made at once and announced in <#${CHANNELS.approvals.id}> and <#${CHANNELS.alerts.id}>, for Bob to review.`,
      'Everything the bot does goes into its audit log, which it seals into segments in a bucket with Object Lock in prod: *Audit archive* in the panel lists them.',
    ].join('\n'),
  });
  return workspace;
}

/** Commands that work on the demo's data as it starts. */
export const SUGGESTIONS: readonly string[] = [
  '/lambda status payments-api',
  '/lambda status payments-api-us',
  '/lambda versions payments-api',
  '/lambda diff payments-api 4 5',
  '/lambda promote payments-api:prod 5',
  '/lambda canary payments-staging:staging 5 --steps 10,50,100 --every 20s --judge',
  '/lambda publish payments-staging Fraud score on charge metadata',
  '/lambda promote orders-api:staging 4',
  '/lambda promote orders-api:prod 4',
  '/lambda promote orders-api:prod 4 --break-glass checkout errors, approver asleep',
  '/lambda alarms payments-api',
  '/lambda history payments-api',
  '/lambda help',
];
