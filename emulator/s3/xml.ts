import { escapeXml } from '../core/xml.js';

/** The namespace of S3's answers. */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Text for an element's content (S3 writes an ETag's quotes as `&quot;`). */
export const xmlText = escapeXml;

/** An element with text, or with children (undefined children are skipped). */
export type S3Node = [name: string, content: string | number | boolean | (S3Node | undefined)[]];

function render([name, content]: S3Node): string {
  if (!Array.isArray(content)) return `<${name}>${xmlText(String(content))}</${name}>`;
  const inner = content
    .filter((c): c is S3Node => c !== undefined)
    .map(render)
    .join('');
  return `<${name}>${inner}</${name}>`;
}

/** A whole answer as S3 writes it: the XML declaration, then one line with the root in S3's namespace. */
export function s3Document([name, content]: S3Node): string {
  const inner = render(['x', content]).slice('<x>'.length, -'</x>'.length);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${name} xmlns="${S3_NAMESPACE}">${inner}</${name}>`;
}

const unescapeXml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * The content of the first `<name>` element of a request body, namespace prefixes ignored; undefined when absent.
 * The documents S3 reads here (CreateBucketConfiguration, ObjectLockConfiguration) are flat enough for this.
 */
export function elementText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml);
  return match ? unescapeXml(match[1] ?? '').trim() : undefined;
}

/** True when the body holds a `<name>` element, empty or not. */
export function hasElement(xml: string, name: string): boolean {
  return new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?/?>`).test(xml);
}
