/**
 * The bot's policy file for the demo: `prod` protected (one approval), `staging` open, alarms
 * polled every 5 s so an alert follows a failure within seconds, and requests that live long
 * enough to click but expire within a demo.
 */
import { FUNCTIONS } from './functions.js';
import { APPROVER, CHANNELS, DEPLOYER, ON_CALL } from './people.js';

export function demoPolicy(): string {
  const functions = FUNCTIONS.map(
    (f) => `  ${f.name}:
    aliases:
      prod:
        protected: true
        required_approvals: 1
        approvers: [approvers]
      staging:
        judge: { min_invocations: 50, max_wait: 2m }`,
  ).join('\n');
  return `# Written by npm run sandbox: the demo team's policy.
channels:
  approvals: ${CHANNELS.approvals.id}
  alerts: ${CHANNELS.alerts.id}
approval_ttl: 10m
alarm_poll_interval: 5s
roles:
  deployers: [${DEPLOYER.id}]
  approvers: [${APPROVER.id}]
  responders: [${ON_CALL.id}]
functions:
${functions}
`;
}
