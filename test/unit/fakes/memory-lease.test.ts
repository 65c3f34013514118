import { leaseContract } from '../../contract/ports/lease.case.js';
import { MemoryLease } from '../../fakes/memory-lease.js';
import { TestClock } from '../../fakes/test-clock.js';

leaseContract('in-memory fake', async () => {
  const clock = new TestClock();
  return { lease: new MemoryLease(clock), elapse: async (ms) => clock.advance(ms) };
});
