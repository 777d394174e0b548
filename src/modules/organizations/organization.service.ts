import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, type ConnectionArgs } from '../../graphql/connection';
import { findByIdOrFail } from '../../db/find';
import { Organization, type OrganizationKind } from './organization.entity';

export class OrganizationService {
  async create(em: EntityManager, name: string, kind: OrganizationKind): Promise<Organization> {
    const organization = new Organization(name.trim(), kind);
    await em.persistAndFlush(organization);
    return organization;
  }

  get(em: EntityManager, id: string): Promise<Organization> {
    return findByIdOrFail(em, Organization, id, 'Organization');
  }

  list(em: EntityManager, kind: OrganizationKind | null | undefined, args: ConnectionArgs) {
    return paginate(em, Organization, kind ? { kind } : {}, args);
  }
}
