/**
 * Several accounts and regions through the services (CONTRACT §9): the same AWS name in two places
 * never crosses, each change is made in the session of the person it is made for, an approved
 * change as its requester, rollout steps as whoever started it and automatic rollbacks as the bot,
 * and every record says where.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { alice, kit, testPolicy } from '../../fakes/kit.js';
import { TEST_POLICY } from '../../support/policy.js';

const POLICY = TEST_POLICY.replace(
  'functions:',
  `accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/lambda-release-bot" }
functions:
  pay-eu:
    account: prod
    region: eu-west-1
    name: payments-api
    aliases:
      prod: { protected: true }
      live: {}
  pay-us:
    account: prod
    region: us-east-1
    name: payments-api
    aliases:
      live: {}`,
);

let k: ReturnType<typeof kit>;

beforeEach(() => {
  k = kit(testPolicy(POLICY));
  for (const place of ['prod/eu-west-1', 'prod/us-east-1']) {
    k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, live: { primary: '3' } }, place);
  }
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
});

const writes = () => k.lambda.calls.filter((c) => c.op === 'UpdateAlias');

describe('the same function name in two accounts and regions', () => {
  it('a promote of one changes that alias only, in that place, as the person who asked', async () => {
    await k.release.promote(alice, { fn: 'pay-us', alias: 'live' }, '4');
    expect(k.lambda.alias('payments-api', 'live', 'prod/us-east-1').routing).toEqual({ primary: '4' });
    expect(k.lambda.alias('payments-api', 'live', 'prod/eu-west-1').routing).toEqual({ primary: '3' });
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({ primary: '3' });
    expect(writes()).toEqual([
      { op: 'UpdateAlias', fn: 'pay-us', alias: 'live', place: 'prod/us-east-1', session: 'U0ALICE' },
    ]);
  });

  it('an ARN names the entry of its account and region', async () => {
    const arn = { fn: 'payments-api', region: 'eu-west-1', account: '222222222222', alias: 'live' };
    const outcome = await k.release.promote(alice, arn, '5');
    expect(outcome).toMatchObject({
      fn: 'pay-eu',
      where: { account: 'prod', accountId: '222222222222', region: 'eu-west-1', home: false },
    });
    expect(k.lambda.alias('payments-api', 'live', 'prod/eu-west-1').routing).toEqual({ primary: '5' });
  });

  it('every record of the change says where: account ID and region', async () => {
    await k.release.promote(alice, { fn: 'pay-eu', alias: 'live' }, '4');
    expect(k.audit.records.map((r) => [r.action, r.result, r.function, r.account, r.region])).toEqual([
      ['promote', 'pending', 'pay-eu', '222222222222', 'eu-west-1'],
      ['promote', 'ok', 'pay-eu', '222222222222', 'eu-west-1'],
    ]);
  });

  it('status names the account and region, and the name in AWS', async () => {
    const status = await k.queries.status({ fn: 'pay-us' });
    expect(status).toMatchObject({
      fn: 'pay-us',
      awsName: 'payments-api',
      managed: true,
      where: { account: 'prod', region: 'us-east-1' },
    });
    expect(status.aliases.map((a) => a.alias)).toEqual(['live', 'prod']);
    expect((await k.queries.status({ fn: 'payments-api' })).where).toMatchObject({ account: 'own', home: true });
  });
});

describe('as whom AWS is called', () => {
  it('reads for a request are the bot’s; the approved change is made as its requester', async () => {
    const asked = await k.release.promote(alice, { fn: 'pay-eu', alias: 'prod' }, '4');
    expect(asked.kind).toBe('approval-requested');
    expect(writes()).toEqual([]);
    expect(k.lambda.calls.every((c) => c.session === 'bot')).toBe(true);
    const request = (await k.approvalStore.open())[0];
    if (!request) throw new Error('no request');
    expect(request.where).toMatchObject({ account: 'prod', region: 'eu-west-1' });
    await k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: request.id, requestId: 'r-bob' });
    expect(writes()).toEqual([
      { op: 'UpdateAlias', fn: 'pay-eu', alias: 'prod', place: 'prod/eu-west-1', session: 'U0ALICE' },
    ]);
    expect(k.audit.records.filter((r) => r.action === 'approval.approve')[0]).toMatchObject({
      account: '222222222222',
      region: 'eu-west-1',
    });
  });

  it('rollout steps are made as whoever started the rollout; an automatic rollback as the bot', async () => {
    await k.rollouts.start(alice, {
      target: { fn: 'pay-us', alias: 'live' },
      version: '4',
      schedule: { steps: [10, 100], everyMs: 60_000 },
      bakeMs: 0,
      judge: false,
    });
    await k.stepper.tick(async () => true);
    expect(writes().map((w) => w.session)).toEqual(['U0ALICE']);
    const [rollout] = await k.rolloutStore.live();
    if (!rollout) throw new Error('no rollout');
    await k.interrupts.onAlarm('pay-us', 'live', 'any');
    expect(writes().map((w) => [w.place, w.session])).toEqual([
      ['prod/us-east-1', 'U0ALICE'],
      ['prod/us-east-1', 'bot'],
    ]);
    expect(k.lambda.alias('payments-api', 'live', 'prod/us-east-1').routing).toEqual({ primary: '3' });
  });

  it('an account that refuses the person’s session: refused, an error record, nothing changed; other accounts work', async () => {
    k.lambda.failNext(
      'GetAlias',
      new BotError('account-unavailable', 'the bot cannot act in account prod (222222222222): AssumeRole failed'),
    );
    const error = await k.release.promote(alice, { fn: 'pay-us', alias: 'live' }, '4').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'account-unavailable' });
    expect(writes()).toEqual([]);
    expect(k.audit.records.map((r) => [r.action, r.result, r.function])).toEqual([['promote', 'error', 'pay-us']]);
    expect(k.audit.records[0]?.detail).toMatch(/^not applied: the bot cannot act in account prod/);
    await k.release.promote(alice, { fn: 'payments-api', alias: 'staging' }, '4');
    expect(k.lambda.alias('payments-api', 'staging').routing).toEqual({ primary: '4' });
  });
});
