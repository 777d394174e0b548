import { ConnectionException, DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';

/** Network-level error codes of a database that cannot be reached. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * The database could not take the message now, whatever the message (down, unreachable, out of
 * connections, shutting down, or a transient conflict): the sender must send it again later. SQLSTATE
 * 08 connection failures (not 08P01, a protocol violation that the message's own bytes cause,
 * e.g. a NUL), 40 transaction rollback, 53 insufficient resources, 57P operator intervention.
 */
export function isStorageOutage(error: unknown): boolean {
  if (error instanceof ConnectionException || error instanceof DeadlockException || error instanceof LockWaitTimeoutException) return true;
  // Read by shape, not `instanceof Error`: a socket's errors may come from another realm.
  const { code, name } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string') return unreachableCodes.has(code) || (/^(08|40|53|57P)/.test(code) && code !== '08P01');
  return name === 'KnexTimeoutError';
}
