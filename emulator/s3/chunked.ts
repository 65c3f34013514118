/** A body sent with `Content-Encoding: aws-chunked`: the object's bytes, and the trailing headers. */
export interface Dechunked {
  data: Buffer;
  trailers: Record<string, string>;
}

/**
 * Decodes an `aws-chunked` body, as the SDK sends a stream of unknown length with a trailing checksum:
 * `hex-size[;chunk-signature=…]\r\n bytes \r\n … 0\r\n x-amz-checksum-crc32:…\r\n \r\n`. Returns undefined when the
 * framing is broken (S3 then answers IncompleteBody).
 *
 * @example dechunk(Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n'))
 * // { data: <hello>, trailers: { 'x-amz-checksum-crc32': 'NhCmhg==' } }
 */
export function dechunk(body: Buffer): Dechunked | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) return undefined;
    const size = Number.parseInt(body.subarray(at, end).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    at = end + 2;
    if (size === 0) break;
    if (at + size > body.length) return undefined;
    parts.push(body.subarray(at, at + size));
    at += size;
    if (body.subarray(at, at + 2).toString('latin1') === '\r\n') at += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}
