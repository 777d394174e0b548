import { TransactionPropagation } from '@mikro-orm/core';

/**
 * `em.transactional` options for work that is whole on its own but usually runs inside its
 * caller's transaction (an import inside `IngestService.importMessage`): it joins that
 * transaction instead of opening a savepoint in it, so its writes go out in the caller's one
 * flush (two statements fewer, and its message row updated once). The caller's rollback still
 * undoes all of it; called alone, it has a transaction of its own.
 */
export const inCallersTransaction = { propagation: TransactionPropagation.REQUIRED } as const;
