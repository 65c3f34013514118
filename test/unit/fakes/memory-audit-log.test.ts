import { describe, expect, it } from 'vitest';
import { auditArchivingContract } from '../../contract/ports/audit-archiving.case.js';
import { auditLogContract, entry } from '../../contract/ports/audit-log.case.js';
import { MemoryAuditArchiving } from '../../fakes/memory-audit-archiving.js';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.js';
import { TestClock } from '../../fakes/test-clock.js';

auditLogContract('in-memory fake', async () => {
  const clock = new TestClock();
  const log = new MemoryAuditLog(clock);
  // One process, one log: a "replica" of the fake is the same log.
  return { log, clock, replica: async () => log };
});

describe('MemoryAuditLog, beyond the contract', () => {
  it('notices a changed record, as the Redis log does', async () => {
    const log = new MemoryAuditLog(new TestClock());
    for (let i = 0; i < 3; i++) await log.append(entry({ request: `r${i}` }));
    log.records[1] = { ...(log.records[1] as (typeof log.records)[number]), detail: 'rewritten' };
    expect(await log.verify()).toEqual({
      ok: false,
      count: 1,
      problem: { id: '2', reason: 'its contents do not match its hash: the record was changed' },
    });
  });

  it('can play Redis being down', async () => {
    const log = new MemoryAuditLog(new TestClock());
    log.setAvailable(false);
    await expect(log.append(entry())).rejects.toMatchObject({ code: 'redis-unavailable' });
    log.setAvailable(true);
    expect((await log.append(entry())).id).toBe('1');
  });
});

auditArchivingContract('in-memory fake', async () => {
  const clock = new TestClock();
  const log = new MemoryAuditLog(clock);
  return { log, archiving: new MemoryAuditArchiving(log), clock };
});
