import { createHash } from 'node:crypto';

/** The flexible checksums S3 verifies and stores, by their names in `x-amz-sdk-checksum-algorithm`. */
export const ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof ALGORITHMS)[number];

/** A checksum as S3 keeps it with an object: the algorithm and the base64 of its big-endian value. */
export interface Checksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32 = crc32Table(0xedb88320);
const CRC32C = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, data: Buffer): Buffer {
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

const CRC64_POLY = 0x9a6c9329ac4bc9b5n;
const MASK64 = 0xffffffffffffffffn;
const CRC64 = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? CRC64_POLY ^ (c >> 1n) : c >> 1n;
  return c;
});

/** CRC-64/NVME, which S3 computes for every object uploaded without a checksum. */
function crc64nvme(data: Buffer): Buffer {
  let crc = MASK64;
  for (const byte of data) crc = (CRC64[Number((crc ^ BigInt(byte)) & 0xffn)] as bigint) ^ (crc >> 8n);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE((crc ^ MASK64) & MASK64);
  return out;
}

/** The base64 checksum of `data` with `algorithm`. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case 'CRC32':
      return crc32With(CRC32, data).toString('base64');
    case 'CRC32C':
      return crc32With(CRC32C, data).toString('base64');
    case 'CRC64NVME':
      return crc64nvme(data).toString('base64');
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
  }
}

/** The header a checksum travels in: `x-amz-checksum-crc32`, … */
export const checksumHeader = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

const BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/** True when `value` is the base64 of as many bytes as the algorithm gives (S3 refuses anything else as invalid). */
export function wellFormed(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === BYTES[algorithm] && value.length % 4 === 0;
}

/** The algorithm a name stands for, or undefined. */
export function algorithmNamed(name: string): ChecksumAlgorithm | undefined {
  return ALGORITHMS.find((a) => a === name.toUpperCase());
}

/** The object's ETag for a single-part upload: the hex MD5 of its bytes, in quotes. */
export const etagOf = (data: Buffer): string => `"${createHash('md5').update(data).digest('hex')}"`;

/** The base64 MD5, as `Content-MD5` carries it. */
export const md5Base64 = (data: Buffer): string => createHash('md5').update(data).digest('base64');
