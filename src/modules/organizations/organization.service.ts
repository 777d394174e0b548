import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { BadInputError, ConflictError, ForbiddenError } from '../../errors';
import { OrganizationIdentifierSystem } from './identifier-system.entity';
import { paginate, type PageRequest } from '../../db/paging';
import { findByIdOrFail } from '../../db/find';
import { Organization, OrganizationKind } from './organization.entity';
import { requireProgramAdmin } from './program-admin';

export class OrganizationService {
  /**
   * An IOP admin onboards a partner organization: the record only, with no seats (its first admin
   * is the hub operator's to provision). Programs are created by the hub operator too.
   */
  async onboardPartner(em: EntityManager, actor: RequestUser, name: string, kind: OrganizationKind): Promise<Organization> {
    await requireProgramAdmin(em, actor, 'Only an IOP admin onboards partner organizations');
    if (kind === OrganizationKind.IOP) throw new ForbiddenError('Programs are created by the hub operator');
    return this.create(em, name, kind);
  }

  async create(em: EntityManager, name: string, kind: OrganizationKind): Promise<Organization> {
    if (name.trim().length === 0) throw new BadInputError('An organization needs a name', { field: 'name' });
    const organization = new Organization(name.trim(), kind);
    await em.persistAndFlush(organization);
    return organization;
  }

  get(em: EntityManager, id: string): Promise<Organization> {
    return findByIdOrFail(em, Organization, id, 'Organization');
  }

  list(em: EntityManager, kind: OrganizationKind | null | undefined, args: PageRequest) {
    return paginate(em, Organization, kind ? { kind } : {}, args);
  }

  identifierSystems(em: EntityManager, organizationId: string): Promise<string[]> {
    return em.find(OrganizationIdentifierSystem, { organization: organizationId }, { orderBy: { system: 'asc' } }).then((rows) => rows.map((row) => row.system));
  }

  /**
   * Replaces the systems in which an organization's own identifiers are named elsewhere. A system
   * another organization already claims is refused: it would link one program's number to another's patient.
   */
  async setIdentifierSystems(em: EntityManager, organizationId: string, systems: string[]): Promise<Organization> {
    const wanted = [...new Set(systems.map((system) => system.trim()))];
    return em.transactional(async (tx) => {
      const organization = await findByIdOrFail(tx, Organization, organizationId, 'Organization');
      const claimed = await tx.find(OrganizationIdentifierSystem, { system: { $in: wanted }, organization: { $ne: organizationId } });
      if (claimed.length > 0) throw new ConflictError(`Identifier system ${claimed[0].system} belongs to another organization`);
      const current = await tx.find(OrganizationIdentifierSystem, { organization });
      tx.remove(current.filter((row) => !wanted.includes(row.system)));
      const kept = new Set(current.map((row) => row.system));
      tx.persist(wanted.filter((system) => !kept.has(system)).map((system) => new OrganizationIdentifierSystem(organization, system)));
      return organization;
    });
  }
}
