import { describe, expect, it } from 'vitest';
import { type Alarm, type AlarmMetric, subjectOf, watchListOf } from '../../../src/domain/alarm.js';
import type { Policy } from '../../../src/domain/policy-model.js';

const policy: Policy = {
  channels: { approvals: 'C0APPROVALS', alerts: 'C0ALERTS' },
  approvalTtlMs: 1,
  alarmPollIntervalMs: 30_000,
  roles: new Map(),
  functions: new Map([
    ['payments-api', { alarms: ['payments-api-p99', 'payments-composite'], aliases: new Map() }],
    ['orders-api', { alarms: ['payments-composite'], aliases: new Map() }],
  ]),
};
const watch = watchListOf(policy);

function metric(dimensions: Record<string, string>, namespace = 'AWS/Lambda'): AlarmMetric {
  return { namespace, name: 'Errors', dimensions, statistic: 'Sum', periodSeconds: 60 };
}

function alarm(overrides: Partial<Alarm> = {}): Alarm {
  return { name: 'some-alarm', kind: 'metric', state: 'OK', since: 0, reason: '', ...overrides };
}

describe('watchListOf', () => {
  it('watches every policy function, and the alarms it names (the first function naming one wins)', () => {
    expect([...watch.functions]).toEqual(['payments-api', 'orders-api']);
    expect([...watch.named]).toEqual([
      ['payments-api-p99', 'payments-api'],
      ['payments-composite', 'payments-api'],
    ]);
  });
});

describe('subjectOf: which alarms belong to which function', () => {
  it.each([
    [
      'FunctionName only: the whole function',
      alarm({ metric: metric({ FunctionName: 'payments-api' }) }),
      { fn: 'payments-api' },
    ],
    [
      'Resource fn:alias names the alias',
      alarm({ metric: metric({ FunctionName: 'payments-api', Resource: 'payments-api:prod' }) }),
      { fn: 'payments-api', alias: 'prod' },
    ],
    [
      'Resource fn:42 names a version',
      alarm({ metric: metric({ FunctionName: 'orders-api', Resource: 'orders-api:42' }) }),
      { fn: 'orders-api', version: '42' },
    ],
    [
      'the canary dimensions: alias and ExecutedVersion',
      alarm({
        metric: metric({ FunctionName: 'payments-api', Resource: 'payments-api:prod', ExecutedVersion: '43' }),
      }),
      { fn: 'payments-api', alias: 'prod', version: '43' },
    ],
    ['a function outside the policy: not watched', alarm({ metric: metric({ FunctionName: 'billing' }) }), undefined],
    [
      'another namespace: not watched',
      alarm({ metric: metric({ FunctionName: 'payments-api' }, 'Custom/App') }),
      undefined,
    ],
    ['no metric at all: not watched', alarm(), undefined],
    [
      'named in the policy: that function, whatever its metric',
      alarm({ name: 'payments-api-p99', metric: metric({ ApiName: 'payments' }, 'AWS/ApiGateway') }),
      { fn: 'payments-api' },
    ],
    [
      'a composite alarm the policy names',
      alarm({ name: 'payments-composite', kind: 'composite' }),
      { fn: 'payments-api' },
    ],
    [
      'metric math: any query on a policy function',
      alarm({
        queries: [
          { id: 'e', metric: metric({ FunctionName: 'orders-api', Resource: 'orders-api:live' }), returnData: false },
          { id: 'i', metric: metric({ FunctionName: 'orders-api', Resource: 'orders-api:live' }), returnData: false },
          { id: 'rate', expression: '100*e/i', returnData: true },
        ],
      }),
      { fn: 'orders-api', alias: 'live' },
    ],
    [
      'metric math comparing canary and baseline: the alias, but no single version',
      alarm({
        queries: [
          {
            id: 'n',
            metric: metric({ FunctionName: 'orders-api', Resource: 'orders-api:live', ExecutedVersion: '8' }),
            returnData: false,
          },
          {
            id: 'o',
            metric: metric({ FunctionName: 'orders-api', Resource: 'orders-api:live', ExecutedVersion: '7' }),
            returnData: false,
          },
          { id: 'd', expression: 'n-o', returnData: true },
        ],
      }),
      { fn: 'orders-api', alias: 'live' },
    ],
    [
      'a Resource of another function is not an alias of this one',
      alarm({ metric: metric({ FunctionName: 'orders-api', Resource: 'payments-api:prod' }) }),
      { fn: 'orders-api' },
    ],
  ] as const)('%s', (_, a, expected) => {
    expect(subjectOf(a, watch)).toEqual(expected);
  });
});
