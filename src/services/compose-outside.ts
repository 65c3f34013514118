/**
 * The watch of changes made outside the bot (CONTRACT §10), wired over the ports: part of the
 * composition root, apart so that compose.ts stays readable.
 */
import type { AliasChanger } from './alias-change.js';
import type { ServicePorts } from './compose.js';
import type { PolicyGate } from './gate.js';
import { OutsideActions } from './outside-actions.js';
import { OutsideWatch } from './outside-watch.js';
import { OutsideWho } from './outside-who.js';
import type { RolloutInterrupts } from './rollout-interrupts.js';

export interface OutsideParts {
  readonly changer: AliasChanger;
  readonly gate: PolicyGate;
  readonly interrupts: RolloutInterrupts;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

export function composeOutside(p: ServicePorts, parts: OutsideParts) {
  const { fleet, policy, lambda, aliases, locks, audit, notifier, clock } = p;
  const { changer, gate, interrupts, warn } = parts;
  const actions = new OutsideActions({
    fleet,
    store: p.outside,
    changer,
    gate,
    lambda,
    aliases,
    locks,
    audit,
    notifier,
    clock,
  });
  const watch = new OutsideWatch({
    fleet,
    policy,
    lambda,
    store: p.outside,
    aliases,
    locks,
    audit,
    notifier,
    actions,
    pauseRollout: (fn, alias, reason) => interrupts.pauseFor(fn, alias, reason),
    pace: p.pace,
    clock,
    takeoverMs: p.takeoverMs,
    warn,
  });
  const who = new OutsideWho({ fleet, store: p.outside, trail: p.trail, actions, clock, warn });
  return { actions, watch, who };
}
