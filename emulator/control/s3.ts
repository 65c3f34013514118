import type { App } from '../app.js';
import { checksumOf, etagOf } from '../s3/checksums.js';
import type { Bucket, ObjectVersion } from '../s3/model.js';
import { bad, type ControlHandler, ok } from './reply.js';

/** The bucket and object versions a tamper request names, or a control error explaining what is missing. */
function target(
  app: App,
  input: Record<string, unknown>,
  url: URL,
): { bucket: Bucket; key: string; versions: ObjectVersion[] } | string {
  const field = (name: string) => {
    const value = input[name] ?? url.searchParams.get(name) ?? undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const name = field('bucket');
  const key = field('key');
  if (!name || !key) return 'bucket and key are required';
  const bucket = app.s3.get(name);
  const account = field('account');
  const region = field('region');
  if (!bucket || (account && bucket.place.account !== account) || (region && bucket.place.region !== region)) {
    return `no bucket ${name}${account || region ? ` in ${account ?? '*'}/${region ?? '*'}` : ''}`;
  }
  const versionId = field('versionId');
  const all = (bucket.keys.get(key) ?? []).filter((v): v is ObjectVersion => v.kind === 'object');
  const current = bucket.keys.get(key)?.at(-1);
  const versions = versionId
    ? all.filter((v) => v.versionId === versionId)
    : current?.kind === 'object'
      ? [current]
      : [];
  if (versions.length === 0) return `no object ${key}${versionId ? ` version ${versionId}` : ''} in ${name}`;
  return { bucket, key, versions };
}

/**
 * `PUT /_emulator/s3/tamper` `{"bucket", "key", "body"?, "bodyBase64"?, "versionId"?, "account"?, "region"?}`:
 * replaces the stored bytes of the current (or named) version behind Object Lock's back, as an attacker with the
 * storage itself would; the ETag and checksum are recomputed, so only the content's own hashes can reveal it.
 * Without a body, the first byte is flipped.
 */
export const tamperObject: ControlHandler = (app, input, url) => {
  const found = target(app, input, url);
  if (typeof found === 'string') return bad(found, 404);
  const [version] = found.versions as [ObjectVersion];
  let body: Buffer;
  if (typeof input.bodyBase64 === 'string') body = Buffer.from(input.bodyBase64, 'base64');
  else if (typeof input.body === 'string') body = Buffer.from(input.body);
  else {
    body = Buffer.from(version.body);
    if (body.length > 0) body[0] = (body[0] as number) ^ 1;
  }
  version.body = body;
  version.etag = etagOf(body);
  version.checksum = { algorithm: version.checksum.algorithm, value: checksumOf(version.checksum.algorithm, body) };
  return ok({ bucket: found.bucket.name, key: found.key, versionId: version.versionId, etag: version.etag });
};

/**
 * `DELETE /_emulator/s3/object` `{"bucket", "key", "versionId"?}`: removes the key's every version (or the named one)
 * without a delete marker and regardless of Object Lock, as no S3 caller can.
 */
export const removeObject: ControlHandler = (app, input, url) => {
  const found = target(app, input, url);
  if (typeof found === 'string') return bad(found, 404);
  const { bucket, key } = found;
  const doomed = typeof input.versionId === 'string' || url.searchParams.has('versionId') ? found.versions : undefined;
  const rest = doomed ? (bucket.keys.get(key) ?? []).filter((v) => !doomed.includes(v as ObjectVersion)) : [];
  if (rest.length === 0) bucket.keys.delete(key);
  else bucket.keys.set(key, rest);
  return ok({ bucket: bucket.name, key, removed: doomed ? doomed.map((v) => v.versionId) : 'all' });
};

/** `GET /_emulator/s3`: every bucket with its account, region and how many objects and versions it holds. */
export const getS3: ControlHandler = (app) => ok({ buckets: app.s3.summary() });
