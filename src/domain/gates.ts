/**
 * Promotion gates (CONTRACT §11): what a version must have shown before a protected alias moves to
 * it. Pure evaluation over facts a service gathers (the audit log, the alarm history the bot keeps,
 * the version's configuration); every gate is reported, met or not, with the fact that decided it.
 */
import { formatDuration } from './duration.js';

/** An alias's gates, as the policy file sets them. Each is optional; none means no gate. */
export interface AliasGates {
  /** The alias of the same function the version must have served 100% of … */
  readonly soakedOn?: string;
  /** … for this long, with none of that alias's watched alarms in ALARM meanwhile. */
  readonly soakMs?: number;
  /** SigningProfileVersionArns, one of which must have signed the version. */
  readonly signedBy?: readonly string[];
  /** The version's CodeSha256 must equal that of the version this alias serves. */
  readonly sameCodeAs?: string;
}

export type GateName = 'soak' | 'signed' | 'same-code';

/** One gate's verdict and the fact behind it, in words for the checklist. */
export interface GateCheck {
  readonly gate: GateName;
  readonly met: boolean;
  readonly fact: string;
}

/** A change to the soak alias as the audit log records it: when, and the traffic after. */
export interface ServedChange {
  readonly at: string;
  /** Version → fraction of the alias's traffic after the change. */
  readonly weights: Readonly<Record<string, number>>;
}

/** An alarm of the soak alias going into ALARM or back out, from the bot's alarm history. */
export interface AlarmEvent {
  readonly at: string;
  readonly alarm: string;
  readonly state: 'ALARM' | 'OK';
}

export interface SoakFacts {
  /** The alias the version must have soaked on. */
  readonly alias: string;
  /** The soak alias's routing now, from AWS: version → fraction. */
  readonly now: Readonly<Record<string, number>>;
  /** Changes of the soak alias, newest first (as the audit log returns them). */
  readonly changes: readonly ServedChange[];
  /** Its watched alarms' transitions, any order. */
  readonly alarms: readonly AlarmEvent[];
  /** Its watched alarms in ALARM right now (from the alarm sweep). */
  readonly alarmingNow: readonly string[];
  /**
   * When the log Redis keeps begins, if older records were trimmed into the archive: a run of 100%
   * reaching back to it began then at the latest.
   */
  readonly keptSince?: string;
}

export interface SigningFacts {
  /** The version's SigningProfileVersionArn; absent: not signed. */
  readonly profileVersionArn?: string;
}

export interface SameCodeFacts {
  readonly alias: string;
  /** The version the reference alias serves (its primary), and that version's CodeSha256. */
  readonly version: string;
  readonly codeSha256: string;
  /** Set when the reference alias is split: then there is no single version to compare with. */
  readonly split?: boolean;
}

export interface GateFacts {
  readonly version: string;
  readonly codeSha256: string;
  readonly soak?: SoakFacts;
  readonly signing?: SigningFacts;
  readonly sameCode?: SameCodeFacts;
}

/** How long the version has soaked and since when; `clock` 0 with a reason when it is not soaking. */
export interface SoakClock {
  readonly servedMs: number;
  /** When the soak started (100% began, or the last watched alarm went back to OK). */
  readonly since?: string;
  /** Why the clock stands at zero or restarted. */
  readonly why?: string;
}

export function hasGates(gates: AliasGates | undefined): gates is AliasGates {
  return gates !== undefined && (gates.soakedOn !== undefined || gates.signedBy !== undefined || !!gates.sameCodeAs);
}

/**
 * The soak clock of `version` on the soak alias at `now`: how long it has served 100% without a
 * break, counted from the later of the change that gave it 100% and the end of the last ALARM of a
 * watched alarm. Moved away and back: only the current run counts. Served 100% with no record of
 * when it began (set before the bot knew the alias): not soaking, since the bot cannot vouch for it.
 * @example soakClock({ now: { '5': 1 }, changes: [{ at: '10:00', weights: { '5': 1 } }], alarms: [], alarmingNow: [], alias: 'staging' }, '5', 10:12)
 *   → { servedMs: 720000, since: '10:00' }
 */
export function soakClock(facts: SoakFacts, version: string, now: Date): SoakClock {
  if (!servesAll(facts.now, version)) {
    return { servedMs: 0, why: `${facts.alias} serves ${describeWeights(facts.now)}, not 100% v${version}` };
  }
  let began: string | undefined;
  let reachedBack = true;
  for (const change of facts.changes) {
    if (!servesAll(change.weights, version)) {
      reachedBack = false;
      break;
    }
    began = change.at;
  }
  // The run reaches back past what Redis keeps: it began at the latest when the kept log begins,
  // which is as far as the bot can vouch without reading the archive.
  const archived = reachedBack && facts.keptSince !== undefined;
  if (archived) began = facts.keptSince;
  if (began === undefined) {
    return { servedMs: 0, why: `the audit log has no record of when ${facts.alias} began serving v${version}` };
  }
  if (facts.alarmingNow.length > 0) {
    return { servedMs: 0, why: `${facts.alarmingNow.join(', ')} in ALARM now` };
  }
  let since = began;
  let why: string | undefined;
  // The clock restarts when a watched alarm that fired during the run comes back to OK; an alarm
  // still open at the end of the history (and not in ALARM now) is taken as ended at its last event.
  for (const event of [...facts.alarms].sort((a, b) => a.at.localeCompare(b.at))) {
    if (event.at < began) continue;
    if (event.at > since) {
      since = event.at;
      why = `restarted when ${event.alarm} ${event.state === 'OK' ? 'went back to OK' : 'went into ALARM'}`;
    }
  }
  const servedMs = Math.max(0, now.getTime() - Date.parse(since));
  if (!why && archived) why = 'at least: older records are in the archive';
  return { servedMs, since, ...(why ? { why } : {}) };
}

/**
 * Every gate of `gates`, met or not, with its fact.
 * @example evaluateGates({ signedBy: [arn] }, { version: '5', codeSha256: 'a', signing: {} }, now)
 *   → [{ gate: 'signed', met: false, fact: 'v5 is not signed' }]
 */
export function evaluateGates(gates: AliasGates, facts: GateFacts, now: Date): GateCheck[] {
  const checks: GateCheck[] = [];
  if (gates.soakedOn !== undefined) checks.push(soakCheck(gates, facts, now));
  if (gates.signedBy !== undefined) checks.push(signedCheck(gates.signedBy, facts));
  if (gates.sameCodeAs !== undefined) checks.push(sameCodeCheck(gates.sameCodeAs, facts));
  return checks;
}

export function allMet(checks: readonly GateCheck[]): boolean {
  return checks.every((c) => c.met);
}

/** What changed between two checklists, in words; empty when each gate has the same verdict. */
export function gateChanges(before: readonly GateCheck[], after: readonly GateCheck[]): string[] {
  const changes: string[] = [];
  for (const check of after) {
    const was = before.find((b) => b.gate === check.gate);
    if (!was || was.met !== check.met) changes.push(`${GATE_TITLES[check.gate]}: now ${check.met ? 'met' : 'not met'}`);
  }
  return changes;
}

export const GATE_TITLES: Readonly<Record<GateName, string>> = {
  soak: 'soak',
  signed: 'signed by',
  'same-code': 'same code',
};

function soakCheck(gates: AliasGates, facts: GateFacts, now: Date): GateCheck {
  const alias = gates.soakedOn as string;
  const needed = gates.soakMs ?? 0;
  if (!facts.soak) return { gate: 'soak', met: false, fact: `${alias} could not be read` };
  const clock = soakClock(facts.soak, facts.version, now);
  const served = `served ${alias} 100% for ${soakAmount(Math.min(clock.servedMs, needed), needed)}`;
  const met = clock.servedMs >= needed && clock.since !== undefined;
  if (clock.since === undefined) return { gate: 'soak', met: false, fact: clock.why ?? served };
  return { gate: 'soak', met, fact: clock.why ? `${served} (${clock.why})` : served };
}

function signedCheck(allowed: readonly string[], facts: GateFacts): GateCheck {
  const arn = facts.signing?.profileVersionArn;
  if (!arn) return { gate: 'signed', met: false, fact: `v${facts.version} is not signed` };
  const met = allowed.includes(arn);
  return {
    gate: 'signed',
    met,
    fact: met ? `signed by ${profileName(arn)}` : `signed by ${profileName(arn)}, which is not a listed profile`,
  };
}

function sameCodeCheck(alias: string, facts: GateFacts): GateCheck {
  const ref = facts.sameCode;
  if (!ref) return { gate: 'same-code', met: false, fact: `${alias} could not be read` };
  if (ref.split) {
    return { gate: 'same-code', met: false, fact: `${alias} is split between versions; no single code to compare` };
  }
  const met = ref.codeSha256 === facts.codeSha256;
  const short = (sha: string) => sha.slice(0, 10);
  return {
    gate: 'same-code',
    met,
    fact: met
      ? `same code as ${alias} (v${ref.version}, ${short(ref.codeSha256)})`
      : `code ${short(facts.codeSha256)} differs from ${alias} (v${ref.version}, ${short(ref.codeSha256)})`,
  };
}

/**
 * The profile's name and version from its ARN, as people know it.
 * @example profileName('arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Release/abcdef1234') === 'Release/abcdef1234'
 */
export function profileName(arn: string): string {
  const at = arn.indexOf('/signing-profiles/');
  return at === -1 ? arn : arn.slice(at + '/signing-profiles/'.length);
}

function servesAll(weights: Readonly<Record<string, number>>, version: string): boolean {
  return weights[version] === 1 && Object.keys(weights).length === 1;
}

function describeWeights(weights: Readonly<Record<string, number>>): string {
  const parts = Object.entries(weights).map(
    ([v, w]) => `${Math.round(w * 1000) / 10}% ${v === '$LATEST' ? v : `v${v}`}`,
  );
  return parts.join(' + ') || 'nothing';
}

/**
 * "12 of 30 min" when the soak is in whole minutes (floored: a soak is never shown as done early).
 * @example soakAmount(750_000, 1_800_000) === '12 of 30 min'
 */
function soakAmount(served: number, needed: number): string {
  if (needed >= 60_000 && needed % 60_000 === 0) return `${Math.floor(served / 60_000)} of ${needed / 60_000} min`;
  return `${formatDuration(served)} of ${formatDuration(needed)}`;
}
