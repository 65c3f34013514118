/** A tiny XML tree: an element with text, or with child elements (members left undefined are skipped). */
export type XmlNode = [name: string, content: string | (XmlNode | undefined)[]];

/** Escapes text for an XML element's content. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function render(node: XmlNode, depth: number): string {
  const [name, content] = node;
  const pad = '  '.repeat(depth);
  if (typeof content === 'string') return `${pad}<${name}>${escapeXml(content)}</${name}>`;
  const children = content.filter((c): c is XmlNode => c !== undefined).map((c) => render(c, depth + 1));
  return `${pad}<${name}>\n${children.join('\n')}\n${pad}</${name}>`;
}

/**
 * Writes a Query-protocol document: the root element carries the service's namespace, the children are indented by
 * two spaces as AWS indents them.
 *
 * @example
 * xmlDocument('https://sts.amazonaws.com/doc/2011-06-15/', ['GetCallerIdentityResponse', [['Account', '1']]])
 */
export function xmlDocument(namespace: string, root: XmlNode): string {
  const [name, content] = root;
  const inner = render(['x', content], 0);
  return `<${name} xmlns="${namespace}">${inner.slice('<x>'.length, -'</x>'.length)}</${name}>\n`;
}
