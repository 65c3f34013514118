import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * A short random ID for a request, an approval or a button: 16 characters from an alphabet
 * without look-alikes, about 80 bits, so IDs can be neither guessed nor confused when read aloud.
 */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
