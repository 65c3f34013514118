import { GATE_TITLES, type GateCheck } from '../../../domain/gates.js';
import { escapeMrkdwn } from '../mrkdwn.js';

/**
 * A gate checklist: every gate, met or not, with its fact (CONTRACT §11).
 * @example checklist([{ gate: 'soak', met: false, fact: 'served staging 100% for 12 of 30 min' }])
 *   === ':x: *soak*: served staging 100% for 12 of 30 min'
 */
export function checklist(checks: readonly GateCheck[]): string {
  return checks
    .map((c) => `${c.met ? ':white_check_mark:' : ':x:'} *${GATE_TITLES[c.gate]}*: ${escapeMrkdwn(c.fact)}`)
    .join('\n');
}

/** The same checklist in plain text, for notification fallbacks. */
export function checklistText(checks: readonly GateCheck[]): string {
  return checks.map((c) => `${c.met ? 'met' : 'NOT met'} — ${GATE_TITLES[c.gate]}: ${c.fact}`).join('; ');
}
