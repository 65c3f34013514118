/** What every AliasMemory must do (Redis and the in-memory fake). */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AliasMemory, AliasState } from '../../../src/ports.js';

export interface AliasMemorySubject {
  readonly memory: AliasMemory;
}

function state(overrides: Partial<AliasState> = {}): AliasState {
  return {
    fn: 'payments-api',
    alias: 'prod',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:payments-api:prod',
    routing: { primary: '42', additional: { version: '43', weight: 0.1 } },
    revisionId: 'rev-1',
    description: 'canary of v43',
    ...overrides,
  };
}

export function aliasMemoryContract(name: string, make: () => Promise<AliasMemorySubject>): void {
  describe(`AliasMemory contract: ${name}`, () => {
    let s: AliasMemorySubject;
    beforeEach(async () => {
      s = await make();
    });

    it('knows nothing of an alias it never saw', async () => {
      expect(await s.memory.recall('payments-api', 'prod')).toEqual({});
    });

    it('remembers the state it saw, routing included', async () => {
      await s.memory.saw(state());
      expect(await s.memory.recall('payments-api', 'prod')).toEqual({ seen: state() });
      await s.memory.saw(state({ routing: { primary: '43' }, revisionId: 'rev-2' }));
      expect(await s.memory.recall('payments-api', 'prod')).toEqual({
        seen: state({ routing: { primary: '43' }, revisionId: 'rev-2' }),
      });
    });

    it('a state it wrote is remembered as written and as seen, with the request and the time', async () => {
      await s.memory.wrote(state(), 'req-1', new Date('2025-01-01T10:00:00.000Z'));
      expect(await s.memory.recall('payments-api', 'prod')).toEqual({
        seen: state(),
        written: { state: state(), request: 'req-1', at: '2025-01-01T10:00:00.000Z' },
      });
    });

    it('seeing a newer state keeps what it last wrote', async () => {
      await s.memory.wrote(state(), 'req-1', new Date('2025-01-01T10:00:00.000Z'));
      await s.memory.saw(state({ revisionId: 'rev-9', routing: { primary: '40' } }));
      const recalled = await s.memory.recall('payments-api', 'prod');
      expect(recalled.seen?.revisionId).toBe('rev-9');
      expect(recalled.written).toEqual({ state: state(), request: 'req-1', at: '2025-01-01T10:00:00.000Z' });
    });

    it('aliases and functions are kept apart', async () => {
      await s.memory.saw(state());
      await s.memory.saw(state({ alias: 'staging', revisionId: 'rev-s' }));
      await s.memory.saw(state({ fn: 'orders-api', revisionId: 'rev-o' }));
      expect((await s.memory.recall('payments-api', 'prod')).seen?.revisionId).toBe('rev-1');
      expect((await s.memory.recall('payments-api', 'staging')).seen?.revisionId).toBe('rev-s');
      expect((await s.memory.recall('orders-api', 'prod')).seen?.revisionId).toBe('rev-o');
    });

    it('what is recalled is a copy: changing it changes nothing remembered', async () => {
      await s.memory.saw(state());
      const recalled = await s.memory.recall('payments-api', 'prod');
      (recalled.seen as { revisionId: string }).revisionId = 'mutated';
      expect((await s.memory.recall('payments-api', 'prod')).seen?.revisionId).toBe('rev-1');
    });
  });
}
