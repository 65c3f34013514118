import { randomUUID } from 'node:crypto';

/** A fresh RevisionId / request id, in the UUID form AWS uses. */
export function newUuid(): string {
  return randomUUID();
}
