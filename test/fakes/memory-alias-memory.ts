import type { AliasMemory, AliasState, WrittenState } from '../../src/ports.js';

/** Alias memory in a Map. Values are copied in and out, as a round trip through Redis would. */
export class MemoryAliasMemory implements AliasMemory {
  private readonly aliases = new Map<string, { seen?: AliasState; written?: WrittenState }>();

  async recall(fn: string, alias: string): Promise<{ seen?: AliasState; written?: WrittenState }> {
    return structuredClone(this.aliases.get(`${fn}:${alias}`) ?? {});
  }

  async saw(state: AliasState): Promise<void> {
    const key = `${state.fn}:${state.alias}`;
    this.aliases.set(key, { ...this.aliases.get(key), seen: structuredClone(state) });
  }

  async wrote(state: AliasState, request: string, at: Date): Promise<void> {
    const copy = structuredClone(state);
    this.aliases.set(`${state.fn}:${state.alias}`, {
      seen: copy,
      written: { state: structuredClone(copy), request, at: at.toISOString() },
    });
  }
}
