import { outsideStoreContract } from '../../contract/ports/outside-store.case.js';
import { MemoryOutsideStore } from '../../fakes/memory-outside-store.js';

outsideStoreContract('in memory', async () => new MemoryOutsideStore());
