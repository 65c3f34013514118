import type { S3Request } from './context.js';
import { noSuchBucket, permanentRedirect, S3Error } from './errors.js';
import type { Bucket } from './model.js';
import type { S3Store } from './store.js';

/**
 * The bucket a request names, if the caller may use it: absent is NoSuchBucket; another account's bucket is
 * refused (there are no bucket policies in the emulator, and S3 words a cross-account refusal plainly); a bucket
 * of another region is a PermanentRedirect naming its region, as S3 answers through a regional endpoint.
 */
export function accessBucket(req: S3Request, store: S3Store): Bucket {
  const bucket = store.get(req.bucket);
  if (!bucket) throw noSuchBucket(req.bucket);
  if (bucket.place.account !== req.place.account) throw new S3Error('AccessDenied', 403, 'Access Denied');
  if (bucket.place.region !== req.place.region) throw permanentRedirect(bucket.name, bucket.place.region);
  return bucket;
}
