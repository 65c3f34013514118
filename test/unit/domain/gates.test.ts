import { describe, expect, it } from 'vitest';
import {
  type AliasGates,
  allMet,
  evaluateGates,
  type GateCheck,
  type GateFacts,
  gateChanges,
  hasGates,
  profileName,
  type SoakFacts,
  soakClock,
} from '../../../src/domain/gates.js';

const MIN = 60_000;
const RELEASE = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Release/abcdef1234';
const OTHER = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Nightly/0123456789';
const SHA = `${'a'.repeat(43)}=`;
const OTHER_SHA = `${'b'.repeat(43)}=`;

/** Minutes after 10:00 as the audit log writes times. */
function at(minutes: number, ms = 0): string {
  return new Date(Date.UTC(2026, 11, 5, 10, 0, 0, 0) + minutes * MIN + ms).toISOString();
}
const now = (minutes: number, ms = 0) => new Date(at(minutes, ms));

/** staging has served v5 at 100% since 10:00, with nothing else recorded. */
function soak(over: Partial<SoakFacts> = {}): SoakFacts {
  return {
    alias: 'staging',
    now: { '5': 1 },
    changes: [{ at: at(0), weights: { '5': 1 } }],
    alarms: [],
    alarmingNow: [],
    ...over,
  };
}

const soakGate: AliasGates = { soakedOn: 'staging', soakMs: 30 * MIN };

function soakCheck(facts: SoakFacts, minutes: number, ms = 0): GateCheck {
  const [check] = evaluateGates(soakGate, { version: '5', codeSha256: SHA, soak: facts }, now(minutes, ms));
  return check as GateCheck;
}

describe('soak', () => {
  it('is met exactly at the limit', () => {
    expect(soakCheck(soak(), 30)).toEqual({ gate: 'soak', met: true, fact: 'served staging 100% for 30 of 30 min' });
  });

  it('is not met one millisecond short, and the minutes are floored', () => {
    expect(soakCheck(soak(), 30, -1)).toEqual({
      gate: 'soak',
      met: false,
      fact: 'served staging 100% for 29 of 30 min',
    });
  });

  it('shows no more than the soak needed once it is met', () => {
    expect(soakCheck(soak(), 300).fact).toBe('served staging 100% for 30 of 30 min');
  });

  it('a soak not in whole minutes is shown in durations', () => {
    const [check] = evaluateGates(
      { soakedOn: 'staging', soakMs: 90_000 },
      { version: '5', codeSha256: SHA, soak: soak() },
      now(1),
    );
    expect(check).toEqual({ gate: 'soak', met: false, fact: 'served staging 100% for 1m of 1m 30s' });
  });

  it('is not met while a watched alarm is in ALARM now, whatever the history says', () => {
    const check = soakCheck(soak({ alarmingNow: ['staging-errors', 'staging-p99'] }), 120);
    expect(check).toEqual({ gate: 'soak', met: false, fact: 'staging-errors, staging-p99 in ALARM now' });
  });

  it('an alarm that went into ALARM during the soak and back to OK restarts the clock from the OK', () => {
    const facts = soak({
      alarms: [
        { at: at(25), alarm: 'staging-errors', state: 'OK' },
        { at: at(20), alarm: 'staging-errors', state: 'ALARM' },
      ],
    });
    expect(soakClock(facts, '5', now(40))).toEqual({
      servedMs: 15 * MIN,
      since: at(25),
      why: 'restarted when staging-errors went back to OK',
    });
    expect(soakCheck(facts, 40)).toEqual({
      gate: 'soak',
      met: false,
      fact: 'served staging 100% for 15 of 30 min (restarted when staging-errors went back to OK)',
    });
    expect(soakCheck(facts, 55).met).toBe(true);
  });

  it('alarm events before the run began do not restart it', () => {
    const facts = soak({
      alarms: [
        { at: at(-20), alarm: 'staging-errors', state: 'ALARM' },
        { at: at(-10), alarm: 'staging-errors', state: 'OK' },
      ],
    });
    expect(soakClock(facts, '5', now(30))).toEqual({ servedMs: 30 * MIN, since: at(0) });
  });

  it('moved away and back: only the current run counts', () => {
    const facts = soak({
      changes: [
        { at: at(20), weights: { '5': 1 } },
        { at: at(10), weights: { '4': 1 } },
        { at: at(0), weights: { '5': 1 } },
      ],
    });
    expect(soakClock(facts, '5', now(40))).toEqual({ servedMs: 20 * MIN, since: at(20) });
    expect(soakCheck(facts, 40)).toMatchObject({ met: false, fact: 'served staging 100% for 20 of 30 min' });
  });

  it('consecutive changes that all leave 100% on the version are one run, from the first', () => {
    const facts = soak({
      changes: [
        { at: at(10), weights: { '5': 1 } },
        { at: at(0), weights: { '5': 1 } },
        { at: at(-10), weights: { '5': 0.5, '4': 0.5 } },
      ],
    });
    expect(soakClock(facts, '5', now(30))).toEqual({ servedMs: 30 * MIN, since: at(0) });
  });

  it('is not met when the soak alias is split', () => {
    const facts = soak({ now: { '5': 0.9, '4': 0.1 } });
    expect(soakCheck(facts, 60)).toEqual({
      gate: 'soak',
      met: false,
      fact: 'staging serves 10% v4 + 90% v5, not 100% v5',
    });
  });

  it('is not met when the soak alias serves another version', () => {
    expect(soakCheck(soak({ now: { '4': 1 } }), 60)).toEqual({
      gate: 'soak',
      met: false,
      fact: 'staging serves 100% v4, not 100% v5',
    });
  });

  it('is not met when there is no record of when the run began (set before the bot knew the alias)', () => {
    const none = soakCheck(soak({ changes: [] }), 600);
    expect(none).toEqual({
      gate: 'soak',
      met: false,
      fact: 'the audit log has no record of when staging began serving v5',
    });
    // Serves v5 now, but the newest recorded change gave it v4: v5 came from outside the bot.
    expect(soakCheck(soak({ changes: [{ at: at(0), weights: { '4': 1 } }] }), 600).fact).toMatch(/no record/);
  });

  it('is not met when the soak alias could not be read', () => {
    const [check] = evaluateGates(soakGate, { version: '5', codeSha256: SHA }, now(60));
    expect(check).toEqual({ gate: 'soak', met: false, fact: 'staging could not be read' });
  });

  it('after a restart the same facts from the audit log give the same clock, later', () => {
    // Nothing of the clock lives in memory: a bot that restarts reads the same records and carries on.
    const facts = soak({ alarms: [{ at: at(5), alarm: 'staging-errors', state: 'OK' }] });
    const before = soakClock(facts, '5', now(12));
    const after = soakClock(structuredClone(facts), '5', now(40));
    expect(after.since).toBe(before.since);
    expect(after.servedMs - before.servedMs).toBe(28 * MIN);
    expect(soakCheck(facts, 35)).toMatchObject({ met: true });
  });

  it('older records trimmed into the archive: a run reaching back to the trim began then at the latest', () => {
    const trimmed = soak({ changes: [], keptSince: at(-60) });
    expect(soakClock(trimmed, '5', now(0))).toEqual({
      servedMs: 60 * MIN,
      since: at(-60),
      why: 'at least: older records are in the archive',
    });
    // A change kept in Redis that moved staging elsewhere ends the run: the trim says nothing then.
    const moved = soak({
      changes: [
        { at: at(0), weights: { '5': 1 } },
        { at: at(-5), weights: { '4': 1 } },
      ],
      keptSince: at(-60),
    });
    expect(soakClock(moved, '5', now(10))).toEqual({ servedMs: 10 * MIN, since: at(0) });
  });
});

describe('signed by', () => {
  const gates: AliasGates = { signedBy: [RELEASE] };
  const check = (facts: Partial<GateFacts>) =>
    evaluateGates(gates, { version: '5', codeSha256: SHA, ...facts }, now(0));

  it('is met by a listed profile version', () => {
    expect(check({ signing: { profileVersionArn: RELEASE } })).toEqual([
      { gate: 'signed', met: true, fact: 'signed by Release/abcdef1234' },
    ]);
  });

  it('is not met by a profile that is not listed', () => {
    expect(check({ signing: { profileVersionArn: OTHER } })).toEqual([
      { gate: 'signed', met: false, fact: 'signed by Nightly/0123456789, which is not a listed profile' },
    ]);
  });

  it('is not met by an unsigned version', () => {
    const unsigned = [{ gate: 'signed', met: false, fact: 'v5 is not signed' }];
    expect(check({ signing: {} })).toEqual(unsigned);
    expect(check({})).toEqual(unsigned);
  });
});

describe('same code as', () => {
  const gates: AliasGates = { sameCodeAs: 'staging' };
  const check = (facts: Partial<GateFacts>) =>
    evaluateGates(gates, { version: '5', codeSha256: SHA, ...facts }, now(0));

  it('is met when the code hashes are equal', () => {
    expect(check({ sameCode: { alias: 'staging', version: '4', codeSha256: SHA } })).toEqual([
      { gate: 'same-code', met: true, fact: 'same code as staging (v4, aaaaaaaaaa)' },
    ]);
  });

  it('is not met when they differ', () => {
    expect(check({ sameCode: { alias: 'staging', version: '4', codeSha256: OTHER_SHA } })).toEqual([
      { gate: 'same-code', met: false, fact: 'code aaaaaaaaaa differs from staging (v4, bbbbbbbbbb)' },
    ]);
  });

  it('is not met when the reference alias is split, even if its primary has the same code', () => {
    expect(check({ sameCode: { alias: 'staging', version: '4', codeSha256: SHA, split: true } })).toEqual([
      { gate: 'same-code', met: false, fact: 'staging is split between versions; no single code to compare' },
    ]);
  });

  it('is not met when the reference could not be read', () => {
    expect(check({})).toEqual([{ gate: 'same-code', met: false, fact: 'staging could not be read' }]);
  });
});

describe('the checklist', () => {
  const all: AliasGates = { ...soakGate, signedBy: [RELEASE], sameCodeAs: 'staging' };
  const facts: GateFacts = {
    version: '5',
    codeSha256: SHA,
    soak: soak(),
    signing: { profileVersionArn: RELEASE },
    sameCode: { alias: 'staging', version: '5', codeSha256: SHA },
  };

  it('reports every gate, in order, met or not', () => {
    const checks = evaluateGates(all, facts, now(10));
    expect(checks.map((c) => [c.gate, c.met])).toEqual([
      ['soak', false],
      ['signed', true],
      ['same-code', true],
    ]);
    expect(allMet(checks)).toBe(false);
    expect(allMet(evaluateGates(all, facts, now(30)))).toBe(true);
  });

  it('no gates: an empty checklist, which is met', () => {
    expect(evaluateGates({}, facts, now(0))).toEqual([]);
    expect(allMet([])).toBe(true);
  });

  it('hasGates', () => {
    expect(hasGates(undefined)).toBe(false);
    expect(hasGates({})).toBe(false);
    expect(hasGates(soakGate)).toBe(true);
    expect(hasGates({ signedBy: [RELEASE] })).toBe(true);
    expect(hasGates({ sameCodeAs: 'staging' })).toBe(true);
  });
});

describe('gateChanges', () => {
  const soakNo: GateCheck = { gate: 'soak', met: false, fact: 'served staging 100% for 12 of 30 min' };
  const soakYes: GateCheck = { gate: 'soak', met: true, fact: 'served staging 100% for 30 of 30 min' };
  const signed: GateCheck = { gate: 'signed', met: true, fact: 'signed by Release/abcdef1234' };
  const unsigned: GateCheck = { gate: 'signed', met: false, fact: 'v5 is not signed' };

  it('names each gate whose verdict changed', () => {
    expect(gateChanges([soakNo, signed], [soakYes, unsigned])).toEqual(['soak: now met', 'signed by: now not met']);
  });

  it('is empty when every verdict is the same, even if the facts moved on', () => {
    expect(
      gateChanges([soakNo, signed], [{ ...soakNo, fact: 'served staging 100% for 20 of 30 min' }, signed]),
    ).toEqual([]);
  });

  it('a gate new to the checklist is named', () => {
    expect(gateChanges([], [{ gate: 'same-code', met: true, fact: '' }])).toEqual(['same code: now met']);
  });
});

describe('profileName', () => {
  it('is the profile name and version of a profile version ARN', () => {
    expect(profileName(RELEASE)).toBe('Release/abcdef1234');
    expect(profileName('arn:aws-us-gov:signer:us-gov-west-1:222222222222:/signing-profiles/Gov/0123456789')).toBe(
      'Gov/0123456789',
    );
  });

  it('is the whole text when it is not such an ARN', () => {
    expect(profileName('not-an-arn')).toBe('not-an-arn');
  });
});
