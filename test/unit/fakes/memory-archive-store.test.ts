import { archiveStoreContract } from '../../contract/ports/archive-store.case.js';
import { MemoryArchiveStore } from '../../fakes/memory-archive-store.js';

// Pages of 5 keys, so that listing is checked across pages.
archiveStoreContract('in-memory fake', async () => ({ store: new MemoryArchiveStore(5), prefix: 'bot/' }));
