import { approvalStoreContract, freezeStoreContract } from '../../contract/ports/approvals.case.js';
import { MemoryApprovalStore, MemoryFreezeStore } from '../../fakes/memory-approvals.js';

approvalStoreContract('in-memory fake', async () => new MemoryApprovalStore());
freezeStoreContract('in-memory fake', async () => new MemoryFreezeStore());
