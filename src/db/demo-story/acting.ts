import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { AccessPolicy } from '../../modules/access/access-policy';
import { auditInsert } from '../../modules/audit/audit-writer';
import { DisclosureLedger } from '../../modules/audit/disclosure-ledger';

/** What a service call of the story gets, as a request of `user` would: its own EntityManager and access policy. */
export interface Acting {
  em: EntityManager;
  user: RequestUser;
  access: AccessPolicy;
}

/**
 * Runs one step of the story as `user` would through the API: on a fresh EntityManager with a
 * policy of its own (so consents signed by an earlier step count), then writes the audit rows of
 * what the step disclosed under `operation`, as the API's audit plugin does for a request.
 */
export async function actAs<T>(em: EntityManager, user: RequestUser, operation: string, step: (acting: Acting) => Promise<T>): Promise<T> {
  const fork = em.fork();
  const ledger = new DisclosureLedger();
  const result = await step({ em: fork, user, access: new AccessPolicy(fork, user, ledger) });
  await ledger.flush(auditInsert(fork), { user, operation, requestId: `demo-${randomUUID()}` });
  return result;
}
