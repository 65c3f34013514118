import { approvalStoreContract, freezeStoreContract } from '../../contract/ports/approvals.case.js';
import { breakGlassStoreContract } from '../../contract/ports/breakglass.case.js';
import { rolloutStoreContract } from '../../contract/ports/rollouts.case.js';
import {
  MemoryApprovalStore,
  MemoryBreakGlassStore,
  MemoryFreezeStore,
  MemoryRolloutStore,
} from '../../fakes/memory-stores.js';

approvalStoreContract('in-memory fake', async () => new MemoryApprovalStore());
freezeStoreContract('in-memory fake', async () => new MemoryFreezeStore());
rolloutStoreContract('in-memory fake', async () => new MemoryRolloutStore());
breakGlassStoreContract('in-memory fake', async () => new MemoryBreakGlassStore());
