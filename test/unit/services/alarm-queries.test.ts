import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { AlarmQueries } from '../../../src/services/alarm-queries.js';
import { FakeAlarmSource } from '../../fakes/fake-alarm-source.js';
import { testFleet } from '../../fakes/kit.js';
import { testPolicy } from './alarm-rig.js';

function queries() {
  const source = new FakeAlarmSource();
  source.set('payments-ok', { fn: 'payments-api', alias: 'prod' }, 'OK', 1_000, 0);
  source.set('payments-fn', { fn: 'payments-api' }, 'ALARM', 2_000);
  source.set('payments-staging', { fn: 'payments-api', alias: 'staging' }, 'INSUFFICIENT_DATA', 3_000);
  source.set('payments-prod', { fn: 'payments-api', alias: 'prod' }, 'ALARM', 4_000);
  source.set('orders-errors', { fn: 'orders-api', alias: 'prod' }, 'ALARM', 5_000);
  return { source, queries: new AlarmQueries({ source, fleet: testFleet(testPolicy()) }) };
}

describe('AlarmQueries', () => {
  it('lists a function’s alarms, those in ALARM first, with their reasons', async () => {
    const { queries: q } = queries();
    const result = await q.list({ fn: 'payments-api' });
    expect(result.watched).toBe(true);
    expect(result.states.lines.map((l) => [l.name, l.state])).toEqual([
      ['payments-fn', 'ALARM'],
      ['payments-prod', 'ALARM'],
      ['payments-staging', 'INSUFFICIENT_DATA'],
      ['payments-ok', 'OK'],
    ]);
    expect(result.states.lines[1]).toMatchObject({
      alias: 'prod',
      since: new Date(4_000).toISOString(),
      reason: 'Errors (sum over 1 min) was 25, above the threshold of 10.',
    });
  });

  it('for an alias: its alarms and the function’s, not the other aliases’', async () => {
    const { queries: q } = queries();
    const states = await q.states('payments-api', 'prod');
    expect(states.lines.map((l) => l.name)).toEqual(['payments-fn', 'payments-prod', 'payments-ok']);
  });

  it('a function outside the policy is not watched, and no sweep is made for it', async () => {
    const { source, queries: q } = queries();
    expect(await q.list({ fn: 'billing' })).toEqual({
      kind: 'alarms',
      fn: 'billing',
      watched: false,
      states: { lines: [], missing: [] },
    });
    expect(source.sweeps).toBe(0);
  });

  it('CloudWatch not answering: the states say so instead of failing the command', async () => {
    const { source, queries: q } = queries();
    source.failNext();
    expect(await q.states('payments-api')).toEqual({
      lines: [],
      missing: [],
      unavailable:
        'the alarms of payments-api could not be read: CloudWatch DescribeAlarms failed (Throttling 400): Rate exceeded',
    });
  });
});

describe('AlarmQueries.statesOf', () => {
  it('an ARN names the entry of its place, not the entry whose key is the AWS name', async () => {
    const parsed = parsePolicy(`
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [], approvers: [], responders: [] }
accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/lambda-release-bot" }
functions:
  payments-api: { account: prod, region: eu-west-1, aliases: { prod: {} } }
  payments-api-us: { account: prod, region: us-east-1, name: payments-api, aliases: { prod: {} } }
`);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const fleet = testFleet(parsed.policy);
    const source = new FakeAlarmSource();
    const [eu, us] = [fleet.get('payments-api'), fleet.get('payments-api-us')].map((t) => t?.place);
    source.set('eu-errors', { fn: 'payments-api', alias: 'prod' }, 'ALARM', 1_000, 25, eu);
    source.set('us-errors', { fn: 'payments-api-us', alias: 'prod' }, 'OK', 1_000, 0, us);
    const q = new AlarmQueries({ source, fleet });
    const arn = { fn: 'payments-api', region: 'us-east-1', account: '222222222222' };
    expect((await q.statesOf(arn, 'prod')).lines.map((l) => [l.name, l.state])).toEqual([['us-errors', 'OK']]);
    expect((await q.statesOf({ fn: 'payments-api' })).lines.map((l) => l.name)).toEqual(['eu-errors']);
  });
});

describe('AlarmQueries.current', () => {
  it('rejects when CloudWatch does not answer: "no alarm known" must not read as "no alarm firing"', async () => {
    const { source, queries: q } = queries();
    source.failNext();
    await expect(q.current('payments-api', 'prod')).rejects.toMatchObject({ code: 'aws-unavailable' });
    expect((await q.current('payments-api', 'prod')).lines.map((l) => l.name)).toContain('payments-prod');
  });
});
