import { BotError } from '../domain/errors.js';

/** A pure state machine's answer: the next record (and what else it says), or why not. */
export type Step<T, E> =
  | ({ readonly ok: true; readonly next: T } & E)
  | { readonly ok: false; readonly reason: string };

export interface CasStore<T> {
  get(id: string): Promise<T | undefined>;
  replace(current: T, next: T): Promise<boolean>;
}

/**
 * Reads a record, applies a transition, and writes the result back only if nobody changed the
 * record meanwhile; retries on a lost race. Every click, replica and job goes through this, so
 * each transition happens exactly once. A refused transition is `already-decided` with its reason.
 */
export async function transact<T, E>(
  store: CasStore<T>,
  id: string,
  what: string,
  step: (current: T) => Step<T, E>,
  /** Words for a refusal, e.g. naming the record: "the rollout of fn:alias " + reason. */
  refusal: (current: T, reason: string) => string = (_, reason) => reason,
): Promise<{ readonly next: T } & E> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await store.get(id);
    if (!current) throw new BotError('unknown-button', `no ${what} ${id}`);
    const t = step(current);
    if (!t.ok) throw new BotError('already-decided', refusal(current, t.reason));
    if (await store.replace(current, t.next)) return t;
  }
  throw new BotError('busy', `too many hands are changing this ${what} at once; try again`);
}
