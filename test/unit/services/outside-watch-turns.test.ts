/**
 * When the watch of outside changes calls Lambda (issue 15: "paced under Lambda's control-plane
 * limits, spread over the interval"): each place's functions at even turns over three quarters of
 * the interval, places side by side, and an alert posted as soon as its function is read, not after
 * the whole fleet.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type Place, placeLabel } from '../../../src/domain/target.js';
import { kit, testPolicy } from '../../fakes/kit.js';
import { TEST_POLICY } from '../../support/policy.js';

const POLICY = TEST_POLICY.replace('approval_ttl: 30m', 'approval_ttl: 30m\nwatch_interval: 40s').replace(
  'functions:',
  `accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/lambda-release-bot" }
functions:
  pay-eu: { account: prod, region: eu-west-1, name: payments-api, aliases: { live: {} } }
  pay-us: { account: prod, region: us-east-1, name: payments-api, aliases: { live: {} } }`,
);
const START = '2026-11-26T12:00:00.000Z';
const leader = async () => true;

/** The pace the watch is given: by default at once; a test may hold turns back. */
let pace: (place: Place, notBefore?: Date) => Promise<void>;
let k: ReturnType<typeof kit>;

beforeEach(async () => {
  pace = async () => {};
  k = kit(testPolicy(POLICY), START, { pace: (place, notBefore) => pace(place, notBefore) });
  k.lambda.addFunction('payments-api', 3, { prod: { primary: '1' }, staging: { primary: '1' } });
  k.lambda.addFunction('orders-api', 3, { prod: { primary: '1' } });
  for (const place of ['prod/eu-west-1', 'prod/us-east-1'])
    k.lambda.addFunction('payments-api', 3, { live: { primary: '1' } }, place);
  await k.watch.run(leader);
});

describe('the watch’s turns', () => {
  it('asks for each function’s turn at i/n of three quarters of the interval in its place, places side by side', async () => {
    const turns: [string, number | undefined][] = [];
    pace = async (place, notBefore) => {
      turns.push([placeLabel(place), notBefore && notBefore.getTime() - Date.parse(START)]);
    };
    await k.watch.run(leader);
    const at = (label: string) => turns.filter(([p, t]) => p === label && t !== undefined).map(([, t]) => t);
    // Two functions at home: 0 and 15 s (of 30 s, three quarters of 40 s); one in each other place, at once.
    expect(at('own/us-east-1')).toEqual([0, 15_000]);
    expect(at('prod/eu-west-1')).toEqual([0]);
    expect(at('prod/us-east-1')).toEqual([0]);
    // The second call of each function (its page of versions) asks for a turn with no time of its own.
    expect(turns.filter(([, t]) => t === undefined)).toHaveLength(4);
    // Every place's first turn is asked for before any place's second: they are watched side by side.
    expect(
      turns
        .slice(0, 3)
        .map(([p]) => p)
        .sort(),
    ).toEqual(['own/us-east-1', 'prod/eu-west-1', 'prod/us-east-1']);
  });

  it('posts an alert as soon as its function is read, while later functions wait for their turn', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    pace = async (_place, notBefore) => {
      if (notBefore && notBefore.getTime() > Date.parse(START)) await held;
    };
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '3' });
    const run = k.watch.run(leader);
    await vi.waitFor(() => expect(k.notifier.posts.map((p) => p.notice.kind)).toEqual(['outside-alert']));
    let done = false;
    void run.then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // orders-api's turn (15 s in) has not come: the run is still under way, the alert already out.
    expect(done).toBe(false);
    release();
    await run;
    expect(k.notifier.posts).toHaveLength(1);
  });
});
