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

/**
 * TEST_POLICY with `gates` (YAML lines, indented under `gates:`) on payments-api:prod, and more
 * top-level lines (roles, settings) if given.
 * @example withGates(['soaked_on: staging', 'soak: 30m'])
 */
export function withGates(gates: readonly string[], roles: readonly string[] = [], settings: readonly string[] = []) {
  return TEST_POLICY.replace(
    '        approvers: [approvers]\n      staging: {}',
    `        approvers: [approvers]\n        gates:\n${gates.map((g) => `          ${g}`).join('\n')}\n      staging: {}`,
  )
    .replace('  responders: [U0ONCALL]', ['  responders: [U0ONCALL]', ...roles.map((r) => `  ${r}`)].join('\n'))
    .replace('approval_ttl: 30m', ['approval_ttl: 30m', ...settings].join('\n'));
}
