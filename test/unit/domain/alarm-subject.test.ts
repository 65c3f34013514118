import { describe, expect, it } from 'vitest';
import { type Alarm, type AlarmMetric, alarmId, subjectOf, watchListOf } from '../../../src/domain/alarm.js';
import { Fleet } from '../../../src/domain/fleet.js';
import type { Policy } from '../../../src/domain/policy-model.js';

const policy: Policy = {
  accounts: new Map([['prod', { id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/bot' }]]),
  channels: { approvals: 'C0APPROVALS', alerts: 'C0ALERTS' },
  approvalTtlMs: 1,
  breakglassReviewMs: 86_400_000,
  alarmPollIntervalMs: 30_000,
  watchIntervalMs: 60_000,
  realertAfterMs: 600_000,
  roles: new Map(),
  functions: new Map([
    ['payments-api', { name: 'payments-api', alarms: ['payments-api-p99', 'payments-composite'], aliases: new Map() }],
    ['orders-api', { name: 'orders-api', alarms: ['payments-composite'], aliases: new Map() }],
    // The same AWS name in another account: its own key in the bot.
    ['payments-prod', { name: 'payments-api', account: 'prod', alarms: ['payments-api-p99'], aliases: new Map() }],
  ]),
};
const fleet = new Fleet(policy, { region: 'us-east-1', accountId: '111111111111' });
const watch = watchListOf(policy, fleet.at(fleet.home));
const prodPlace = fleet.get('payments-prod')?.place;

function metric(dimensions: Record<string, string>, namespace = 'AWS/Lambda'): AlarmMetric {
  return { namespace, name: 'Errors', dimensions, statistic: 'Sum', periodSeconds: 60 };
}

function alarm(overrides: Partial<Alarm> = {}): Alarm {
  return { name: 'some-alarm', kind: 'metric', state: 'OK', since: 0, reason: '', ...overrides };
}

describe('watchListOf', () => {
  it('watches every policy function, and the alarms it names (the first function naming one wins)', () => {
    expect([...watch.functions]).toEqual([
      ['payments-api', 'payments-api'],
      ['orders-api', 'orders-api'],
    ]);
    expect([...watch.named]).toEqual([
      ['payments-api-p99', 'payments-api'],
      ['payments-composite', 'payments-api'],
    ]);
  });
});

describe('alarms in several accounts and regions', () => {
  it('each place watches only its own functions, named as the bot names them', () => {
    if (!prodPlace) throw new Error('no prod place');
    const prod = watchListOf(policy, fleet.at(prodPlace));
    expect([...prod.functions]).toEqual([['payments-api', 'payments-prod']]);
    const a = alarm({ metric: metric({ FunctionName: 'payments-api', Resource: 'payments-api:live' }) });
    expect(subjectOf(a, prod)).toEqual({ fn: 'payments-prod', alias: 'live' });
    expect(subjectOf(a, watch)).toEqual({ fn: 'payments-api', alias: 'live' });
  });

  it('alarm names are unique per place: the home place keeps bare names, others are qualified', () => {
    if (!prodPlace) throw new Error('no prod place');
    expect(alarmId(fleet.home, fleet.home, 'p99')).toBe('p99');
    expect(alarmId(prodPlace, fleet.home, 'p99')).toBe('222222222222/us-east-1/p99');
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
