import { alertStoreContract } from '../../contract/ports/alert-store.case.js';
import { MemoryAlertStore } from '../../fakes/memory-alert-store.js';

alertStoreContract('in-memory fake', async () => {
  const store = new MemoryAlertStore();
  // One process, one store: a "replica" of the fake is the same store.
  return { store, replica: async () => store };
});
