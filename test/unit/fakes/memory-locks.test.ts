import { locksContract } from '../../contract/ports/locks.case.js';
import { MemoryLocks } from '../../fakes/memory-locks.js';
import { TestClock } from '../../fakes/test-clock.js';

locksContract('in-memory fake', async () => {
  const clock = new TestClock();
  return { locks: new MemoryLocks(clock), elapse: async (ms) => clock.advance(ms) };
});
