/** Redis replies that come as text or flat arrays, turned into maps. */

/** `INFO` text (`field:value` lines under `# Section` headers) as a map. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Sentinel answers with flat `[name, value, name, value, …]` arrays; this makes them maps. */
export function pairsToMap(reply: unknown): Map<string, string> {
  const flat = reply as string[];
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), String(flat[i + 1]));
  return map;
}
