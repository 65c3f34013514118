import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { describePersistence, judgePersistence } from '../../../../src/adapters/redis/persistence.js';

const info = (lines: string[]) => ['# Persistence', 'loading:0', ...lines, ''].join('\r\n');

describe('judgePersistence', () => {
  it('from CONFIG: AOF, RDB, both, neither', () => {
    expect(judgePersistence({ config: { appendonly: 'yes', save: '' } })).toEqual({
      persistent: true,
      detail: 'append-only file (appendonly yes)',
    });
    expect(judgePersistence({ config: { appendonly: 'no', save: '3600 1 300 100' } })).toEqual({
      persistent: true,
      detail: 'RDB snapshots only (save "3600 1 300 100"): writes since the last snapshot are lost in a crash',
    });
    expect(judgePersistence({ config: { appendonly: 'yes', save: '60 1000' } }).persistent).toBe(true);
    expect(judgePersistence({ config: { appendonly: 'no', save: '' } })).toEqual({
      persistent: false,
      detail: 'no append-only file and no RDB snapshots (appendonly no, save "")',
    });
    expect(judgePersistence({ config: { appendonly: 'no', save: '  ' } }).persistent).toBe(false);
  });

  it('from INFO persistence, when CONFIG is disabled', () => {
    expect(judgePersistence({ info: info(['aof_enabled:1', 'rdb_saves:0']) }).persistent).toBe(true);
    expect(judgePersistence({ info: info(['aof_enabled:0', 'rdb_saves:3']) }).persistent).toBe(true);
    expect(judgePersistence({ info: info(['aof_enabled:0', 'rdb_bgsave_in_progress:1']) }).persistent).toBe(true);
    const none = judgePersistence({ info: info(['aof_enabled:0', 'rdb_saves:0', 'rdb_bgsave_in_progress:0']) });
    expect(none).toEqual({
      persistent: false,
      detail: expect.stringContaining('CONFIG is disabled, so not certain'),
    });
    expect(judgePersistence({ info: '' }).persistent).toBe(false);
  });
});

describe('describePersistence', () => {
  it('falls back to INFO persistence when CONFIG is disabled (as managed Redis services do)', async () => {
    const refused = Object.assign(new Error("ERR unknown command 'CONFIG'"), { name: 'ReplyError' });
    const redis = {
      config: async () => {
        throw refused;
      },
      info: async () => info(['aof_enabled:1']),
    } as unknown as Redis;
    expect(await describePersistence(redis)).toEqual({
      persistent: true,
      detail: 'append-only file (INFO: aof_enabled:1)',
    });
  });
});
