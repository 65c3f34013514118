/**
 * Cluster slots computed here, as Redis does (CRC16/XMODEM of the key or its hash tag, mod 16384),
 * so that a test can pick one key per slot without asking `CLUSTER KEYSLOT` 16384 times.
 */

export const SLOTS = 16384;

const TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** The slot of `key`: only the text between the first `{` and the next `}` counts, if it is not empty. */
export function slotOf(key: string): number {
  let bytes = Buffer.from(key);
  const open = bytes.indexOf('{');
  if (open >= 0) {
    const close = bytes.indexOf('}', open + 1);
    if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  }
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  return crc % SLOTS;
}

/**
 * One key under `prefix` for each of the 16384 slots (index = slot). Found by trying `prefix0`,
 * `prefix1`, … until every slot has one: about 170,000 tries, a few tens of milliseconds.
 */
export function keysInEverySlot(prefix: string): string[] {
  // With a hash tag every key would have the same slot, and the search would never end.
  if (prefix.includes('{')) throw new Error('the prefix must not contain a hash tag');
  const keys: (string | undefined)[] = new Array(SLOTS);
  let missing = SLOTS;
  for (let i = 0; missing > 0; i++) {
    const key = `${prefix}${i}`;
    const slot = slotOf(key);
    if (keys[slot] === undefined) {
      keys[slot] = key;
      missing--;
    }
  }
  return keys as string[];
}
