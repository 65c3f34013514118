/** The policy most tests run with: CONTRACT.md §4's example, with one more function. */
export const TEST_POLICY = `
channels:
  approvals: C0APPROVALS
  alerts: C0ALERTS
approval_ttl: 30m
alarm_poll_interval: 30s
roles:
  deployers: [U0ALICE, U0BOB, S0DEPLOY]
  approvers: [U0BOB, U0CAROL]
  responders: [U0ONCALL]
functions:
  payments-api:
    alerts_channel: C0PAYMENTS
    alarms: [payments-api-p99]
    aliases:
      prod:
        protected: true
        required_approvals: 1
        approvers: [approvers]
      staging: {}
  orders-api:
    aliases:
      prod: {}
`;
