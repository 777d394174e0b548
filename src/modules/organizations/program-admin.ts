import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import type { RequestUser } from '../../auth/request-user';
import { ForbiddenError } from '../../errors';
import { Organization, OrganizationKind } from './organization.entity';

/** The hub's operational queues (failed messages and jobs) are worked by the admins of an IOP. */
export async function requireProgramAdmin(em: EntityManager, actor: RequestUser, refusal: string): Promise<void> {
  const organization = actor.organizationId ? await em.findOne(Organization, { id: actor.organizationId }) : null;
  if (actor.role !== Role.ADMIN || organization?.kind !== OrganizationKind.IOP) throw new ForbiddenError(refusal);
}
