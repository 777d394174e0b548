import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { organizationKindOfRole, Role } from '../../auth/roles';
import { conflictOnDuplicate, findByIdOrFail, isUuid } from '../../db/find';
import { BadInputError, ForbiddenError } from '../../errors';
import { paginate, type ConnectionArgs } from '../../graphql/connection';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { Membership } from './membership.entity';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  /** A staff member's first membership. */
  membership?: { organizationId: string; role: Role } | null;
  /** A patient user's own record. */
  patientId?: string | null;
}

/**
 * An IOP's admins manage their own IOP's staff and onboard its partner organizations (practices,
 * pharmacies, labs, local providers); another IOP's staff are that IOP's to manage.
 */
function assertManages(actor: RequestUser, organization: Organization): void {
  if (organization.kind === OrganizationKind.IOP && organization.id !== actor.organizationId) {
    throw new ForbiddenError("Another IOP's staff are managed by that IOP's admins");
  }
}

export class UserService {
  async create(em: EntityManager, actor: RequestUser, input: NewUser): Promise<User> {
    if (Boolean(input.membership) === Boolean(input.patientId)) {
      throw new BadInputError('A user is either staff (give a membership) or a patient (give a patientId)');
    }
    const user = new User(input.email, input.displayName);
    if (input.patientId) user.patient = await findByIdOrFail(em, Patient, input.patientId, 'Patient');
    em.persist(user);
    if (input.membership) await this.buildMembership(em, actor, user, input.membership.organizationId, input.membership.role);
    await conflictOnDuplicate(em.flush(), 'A user with this e-mail address already exists');
    return user;
  }

  async addMembership(em: EntityManager, actor: RequestUser, userId: string, organizationId: string, role: Role): Promise<Membership> {
    const user = await findByIdOrFail(em, User, userId, 'User');
    if (user.patient) throw new BadInputError('A patient user cannot hold a staff membership');
    const existing = await em.findOne(Membership, { user, organization: organizationId, role }, { populate: ['organization'] });
    if (existing) {
      assertManages(actor, existing.organization);
      existing.active = true;
      await em.flush();
      return existing;
    }
    const membership = await this.buildMembership(em, actor, user, organizationId, role);
    await em.flush();
    return membership;
  }

  async setMembershipActive(em: EntityManager, actor: RequestUser, membershipId: string, active: boolean): Promise<Membership> {
    const membership = await findByIdOrFail(em, Membership, membershipId, 'Membership', { populate: ['organization'] });
    assertManages(actor, membership.organization);
    membership.active = active;
    await em.flush();
    return membership;
  }

  get(em: EntityManager, id: string): Promise<User> {
    return findByIdOrFail(em, User, id, 'User');
  }

  /** Staff users, optionally of one organization; patient users are reached through their record. */
  list(em: EntityManager, organizationId: string | null | undefined, args: ConnectionArgs) {
    if (organizationId && !isUuid(organizationId)) throw new BadInputError('organizationId is not an id', { field: 'organizationId' });
    return paginate(em, User, organizationId ? { patient: null, memberships: { organization: organizationId } } : { patient: null }, args);
  }

  private async buildMembership(em: EntityManager, actor: RequestUser, user: User, organizationId: string, role: Role): Promise<Membership> {
    const expectedKind = organizationKindOfRole[role];
    if (expectedKind === null) throw new BadInputError(`The role ${role} is not held through an organization`);
    const organization = await findByIdOrFail(em, Organization, organizationId, 'Organization');
    assertManages(actor, organization);
    if (organization.kind !== expectedKind) {
      throw new BadInputError(`The role ${role} belongs to an organization of kind ${expectedKind}, not ${organization.kind}`);
    }
    const membership = new Membership(user, organization, role);
    em.persist(membership);
    return membership;
  }
}
