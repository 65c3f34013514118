import { accessBucket } from './access.js';
import { isoDate, type S3Handler } from './context.js';
import { invalidArgument } from './errors.js';
import type { Bucket, ObjectVersion } from './model.js';
import { type S3Node, s3Document } from './xml.js';

/** S3 lists keys in UTF-8 byte order. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The current, live object of every key, in S3's order. */
function liveObjects(bucket: Bucket): ObjectVersion[] {
  const out: ObjectVersion[] = [];
  for (const versions of bucket.keys.values()) {
    const current = versions[versions.length - 1];
    if (current?.kind === 'object') out.push(current);
  }
  return out.sort((a, b) => byteOrder(a.key, b.key));
}

/** A continuation token: opaque to clients, here the base64 of where the last page ended. */
const TOKEN_TAG = 'emu1:';
const encodeToken = (after: string): string => Buffer.from(TOKEN_TAG + after).toString('base64');

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString();
  if (token === '' || !text.startsWith(TOKEN_TAG)) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token');
  }
  return text.slice(TOKEN_TAG.length);
}

function maxKeysOf(text: string | null): number {
  if (text === null) return 1000;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  }
  return n;
}

/**
 * ListObjectsV2: the live objects after `start-after` (or where the continuation token left off), under `prefix`,
 * rolled up into CommonPrefixes at `delimiter`, at most `max-keys` (capped at 1000) entries a page.
 */
export const listObjectsV2: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  const q = req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after');
  const maxKeys = maxKeysOf(q.get('max-keys'));
  const limit = Math.min(maxKeys, 1000);
  const after = token !== null ? decodeToken(token) : (startAfter ?? '');
  const contents: ObjectVersion[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const object of liveObjects(bucket)) {
    if (!object.key.startsWith(prefix) || byteOrder(object.key, after) <= 0) continue;
    const cut = delimiter ? object.key.indexOf(delimiter, prefix.length) : -1;
    const rolled = cut >= 0 ? object.key.slice(0, cut + delimiter.length) : undefined;
    if (rolled !== undefined && (prefixes[prefixes.length - 1] === rolled || byteOrder(rolled, after) <= 0)) continue;
    if (contents.length + prefixes.length >= limit) {
      truncated = true;
      break;
    }
    if (rolled !== undefined) {
      prefixes.push(rolled);
      // Resume after every key under the rolled-up prefix.
      last = `${rolled}\u{10ffff}`;
    } else {
      contents.push(object);
      last = object.key;
    }
  }
  const entries: S3Node[] = contents.map((o) => [
    'Contents',
    [
      ['Key', o.key],
      ['LastModified', isoDate(o.lastModifiedMs)],
      ['ETag', o.etag],
      ['ChecksumAlgorithm', o.checksum.algorithm],
      ['ChecksumType', 'FULL_OBJECT'],
      ['Size', o.body.length],
      ['StorageClass', 'STANDARD'],
    ],
  ]);
  const common: S3Node[] = prefixes.map((p) => ['CommonPrefixes', [['Prefix', p]]]);
  return {
    status: 200,
    contentType: 'application/xml',
    text: s3Document([
      'ListBucketResult',
      [
        ['Name', bucket.name],
        ['Prefix', prefix],
        token !== null ? ['ContinuationToken', token] : undefined,
        truncated ? ['NextContinuationToken', encodeToken(last)] : undefined,
        ['KeyCount', contents.length + prefixes.length],
        ['MaxKeys', maxKeys],
        delimiter ? ['Delimiter', delimiter] : undefined,
        ['IsTruncated', truncated],
        ...entries,
        ...common,
        startAfter !== null && token === null ? ['StartAfter', startAfter] : undefined,
      ],
    ]),
  };
};
