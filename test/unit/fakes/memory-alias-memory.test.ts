import { aliasMemoryContract } from '../../contract/ports/alias-memory.case.js';
import { MemoryAliasMemory } from '../../fakes/memory-alias-memory.js';

aliasMemoryContract('in-memory fake', async () => ({ memory: new MemoryAliasMemory() }));
