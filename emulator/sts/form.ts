/** A Query-protocol request body, decoded: scalar members, and the `Name.member.N[.Field]` lists. */
export interface QueryInput {
  /** Scalar members (`Action`, `RoleArn`, …); `Tags=` (an empty list) appears as an empty string. */
  get(name: string): string | undefined;
  /** `Name.member.1`, `Name.member.2`, … in order. */
  list(name: string): string[];
  /** `Name.member.1.Field`, … as one record per N, in order. */
  records(name: string): Record<string, string>[];
}

/**
 * Decodes an `application/x-www-form-urlencoded` body as the SDK's Query serializer writes it
 * (`Tags.member.1.Key=k&Tags.member.1.Value=v&TransitiveTagKeys.member.1=k`).
 */
export function parseQuery(body: string): QueryInput {
  const params = new URLSearchParams(body);
  const members = (name: string) => {
    const found = new Map<number, Map<string, string>>();
    const prefix = `${name}.member.`;
    for (const [key, value] of params) {
      if (!key.startsWith(prefix)) continue;
      const [index = '', field = ''] = key.slice(prefix.length).split('.', 2);
      const n = Number(index);
      if (!Number.isInteger(n) || n < 1) continue;
      let entry = found.get(n);
      if (!entry) {
        entry = new Map();
        found.set(n, entry);
      }
      entry.set(field, value);
    }
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
  };
  return {
    get: (name) => params.get(name) ?? undefined,
    list: (name) => members(name).map((entry) => entry.get('') ?? ''),
    records: (name) => members(name).map((entry) => Object.fromEntries(entry)),
  };
}
