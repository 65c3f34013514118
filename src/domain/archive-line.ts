/**
 * A stored audit record as the archiver reads it: the line's bytes, with the fields a segment is
 * built on found in them by position. Pure.
 */

/**
 * A stored record as the archiver needs it (its `encodeRecord` line) with the fields a segment is
 * built on read from it: the archiver copies lines, it does not parse and print them again.
 */
export interface StoredLine {
  readonly id: string;
  readonly at: string;
  readonly prev: string;
  readonly hash: string;
  /** The stored bytes (UTF-8 JSON), copied into the segment as they are. */
  readonly line: Uint8Array;
  /** The id as a number, read from the bytes. */
  readonly seq: number;
  /** The hash's 64 ASCII bytes, a view into `line`. */
  readonly hashBytes: Uint8Array;
  /** Whether this line's prev is, byte for byte, the hash of `before`. */
  follows(before: StoredLine): boolean;
}

const TAIL = '"prev":"'.length + 64 + '","hash":"'.length + 64 + '"}'.length;
const QUOTE = 0x22;
const utf8 = new TextEncoder();
const HEAD = utf8.encode('{"id":"');
const AT = utf8.encode('","at":"');
const PREV = utf8.encode('"prev":"');
const HASH = utf8.encode('","hash":"');
/** Longer ids could pass Number.MAX_SAFE_INTEGER; 10^15 records is far beyond any bot. */
const MAX_ID_DIGITS = 15;

/**
 * The text fields are decoded when asked for: of a thousand lines in a segment, the archiver needs
 * the time of the first and the hashes of the first and last; the links between the rest are
 * compared as bytes (decoding four strings a record was a fifth of the archiver's reading time).
 */
class Stored implements StoredLine {
  constructor(
    readonly line: Uint8Array,
    readonly seq: number,
    private readonly atStart: number,
    private readonly atEnd: number,
    private readonly tail: number,
  ) {}
  get id(): string {
    return String(this.seq);
  }
  get at(): string {
    return ascii(this.line, this.atStart, this.atEnd);
  }
  get prev(): string {
    return ascii(this.line, this.tail + 8, this.tail + 72);
  }
  get hash(): string {
    return ascii(this.line, this.tail + 82, this.tail + 146);
  }
  get hashBytes(): Uint8Array {
    return this.line.subarray(this.tail + 82, this.tail + 146);
  }
  follows(before: StoredLine): boolean {
    return bytesAt(this.line, this.tail + 8, before.hashBytes);
  }
}

/**
 * The fields of a stored line, found from its fixed ends (encodeRecord writes `id` and `at` first,
 * `prev` and `hash` last, each hash 64 hex digits): byte offsets, not a parse, since the archiver
 * reads every record once more; undefined when the line is not shaped so.
 * @example storedLine(utf8('{"id":"7","at":"2026-…",…,"prev":"ab…","hash":"cd…"}')) → { id: '7', at: '2026-…', prev, hash, line }
 */
export function storedLine(line: Uint8Array): StoredLine | undefined {
  const tail = line.length - TAIL;
  if (tail < HEAD.length || !bytesAt(line, 0, HEAD)) return undefined;
  const idEnd = line.indexOf(QUOTE, HEAD.length);
  if (idEnd === -1 || !bytesAt(line, idEnd, AT)) return undefined;
  const atStart = idEnd + AT.length;
  const atEnd = line.indexOf(QUOTE, atStart);
  if (atEnd === -1 || !bytesAt(line, tail, PREV) || !bytesAt(line, tail + 72, HASH)) return undefined;
  if (line[line.length - 2] !== 0x22 || line[line.length - 1] !== 0x7d) return undefined;
  // The hashes' digits are not checked here (a regex a record was the archiver's largest cost):
  // a segment built on a damaged line fails `verify --archive`, which checks every hash.
  const seq = positiveInteger(line, HEAD.length, idEnd);
  return seq === undefined ? undefined : new Stored(line, seq, atStart, atEnd, tail);
}

/** The decimal digits between `from` and `to` (no leading zero), or undefined. */
function positiveInteger(bytes: Uint8Array, from: number, to: number): number | undefined {
  if (to <= from || to - from > MAX_ID_DIGITS || bytes[from] === 0x30) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return n;
}

function bytesAt(line: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (line[at + i] !== expected[i]) return false;
  return true;
}

const text = new TextDecoder();

function ascii(line: Uint8Array, from: number, to: number): string {
  return text.decode(line.subarray(from, to));
}
