/**
 * The bot's policy file for the demo: the two accounts and their roles, each function where it
 * lives, `prod` protected (one approval), `staging` open with a canary judge, alarms polled every
 * 5 s so an alert follows a failure within seconds, requests that live long enough to click but
 * expire within a demo, and changes made outside the bot watched every 10 s (the least the bot
 * allows): alerted on everywhere, and put back at once on payments-staging's alias. orders-api's
 * prod has promotion gates, and the on-call responder may break the glass. The audit log is archived
 * to a locked bucket in prod (archive.ts).
 */
import { ACCOUNTS } from './account.js';
import { archivePolicy } from './archive.js';
import { type AliasName, DEPLOYMENTS } from './functions.js';
import { APPROVER, CHANNELS, DEPLOYER, ON_CALL } from './people.js';

const ALIAS_POLICY: Record<AliasName, string> = {
  prod: `prod:
        protected: true
        required_approvals: 1
        approvers: [approvers]`,
  staging: `staging:
        judge: { min_invocations: 50, max_wait: 2m }`,
};

/**
 * Gates per function and alias: a version reaches orders-api's prod only once it has served the
 * `staging` alias beside it for a minute (long enough to see the refusal, short enough to wait out
 * in a demo) and is the same code. The key is the policy's function name.
 */
const GATES: Readonly<Record<string, Partial<Record<AliasName, string>>>> = {
  'orders-api': { prod: 'gates: { soaked_on: staging, soak: 1m, same_code_as: staging }' },
};

/**
 * Functions whose aliases the bot puts back as soon as it sees them changed outside it: the staging
 * alias the tour's canary runs on (the bot puts an alias back to what it last set, so after the
 * canary). Every other alias is only alerted on, with buttons to put it back or accept it.
 */
const PUT_BACK: ReadonlySet<string> = new Set(['payments-staging']);

export function demoPolicy(): string {
  const accounts = ACCOUNTS.map(
    (a) =>
      `  ${a.name}: { id: "${a.id}", role_arn: "${a.roleArn}"${a.externalId ? `, external_id: "${a.externalId}"` : ''} }`,
  ).join('\n');
  const functions = DEPLOYMENTS.map((d) => {
    const putBack = PUT_BACK.has(d.key) ? '\n        outside_changes: revert' : '';
    const aliases = (Object.keys(d.aliases) as AliasName[])
      .map((a) => {
        const gates = GATES[d.key]?.[a];
        return `      ${ALIAS_POLICY[a]}${putBack}${gates ? `\n        ${gates}` : ''}`;
      })
      .join('\n');
    return `  ${d.key}:
    account: ${d.place.account.name}
    region: ${d.place.region}
    name: ${d.fn.name}
    aliases:
${aliases}`;
  }).join('\n');
  return `# Written by npm run sandbox: the demo team's policy.
channels:
  approvals: ${CHANNELS.approvals.id}
  alerts: ${CHANNELS.alerts.id}
approval_ttl: 10m
alarm_poll_interval: 5s
watch_interval: 10s
breakglass_review: 2m
roles:
  deployers: [${DEPLOYER.id}]
  approvers: [${APPROVER.id}]
  responders: [${ON_CALL.id}]
  breakglass: [${ON_CALL.id}]
accounts:
${accounts}
functions:
${functions}
${archivePolicy()}`;
}
