/**
 * The demo team: three people with one role each, so that four-eyes approval and on-call
 * rollback can be tried by switching between them, and the channels the bot talks in. The on-call
 * responder may also break the glass (the policy's `breakglass` role), for an approver to review.
 */
import type { Channel, Person, Team } from '../slack/workspace.js';

export type Role = 'deployer' | 'approver' | 'on-call';

export interface DemoPerson extends Person {
  readonly role: Role;
}

export const TEAM: Team = { id: 'T0ACME', name: 'Acme Payments', domain: 'acme' };

export const BOT = {
  id: 'U0LAMBDABOT',
  botId: 'B0LAMBDABOT',
  name: 'lambda',
  realName: 'Lambda Releases',
  isBot: true,
} as const;

export const PEOPLE: readonly DemoPerson[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Chen', title: 'Deployer', role: 'deployer' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Okafor', title: 'Approver', role: 'approver' },
  { id: 'U0CARMEN', name: 'carmen', realName: 'Carmen Ruiz', title: 'On-call responder', role: 'on-call' },
];

export const DEPLOYER = PEOPLE[0] as DemoPerson;
export const APPROVER = PEOPLE[1] as DemoPerson;
export const ON_CALL = PEOPLE[2] as DemoPerson;

export const CHANNELS = {
  deploys: { id: 'C0DEPLOYS', name: 'deploys', purpose: 'Releases happen here: type /lambda help to start' },
  approvals: {
    id: 'C0APPROVALS',
    name: 'approvals',
    purpose: 'Changes to protected aliases wait here for a second pair of eyes',
  },
  alerts: { id: 'C0ALERTS', name: 'alerts', purpose: 'CloudWatch alarms, with the release behind them and a way back' },
} as const satisfies Record<string, Channel>;
