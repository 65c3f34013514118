import { invalidParameter } from './errors.js';

/**
 * Opaque markers: the key of the first item of the next page, base64url-encoded so callers cannot rely on its form.
 * Keyed rather than offset-based, so an item deleted between pages does not make the next page skip one.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  marker: string | null,
  pageSize: number,
): { page: T[]; nextMarker?: string } {
  let start = 0;
  if (marker) {
    let key: string;
    try {
      key = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      throw invalidParameter('Invalid marker');
    }
    const index = items.findIndex((item) => keyOf(item) >= key);
    start = index === -1 ? items.length : index;
  }
  const page = items.slice(start, start + pageSize);
  const next = items[start + pageSize];
  return next === undefined ? { page } : { page, nextMarker: Buffer.from(keyOf(next), 'utf8').toString('base64url') };
}
