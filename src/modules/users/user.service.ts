import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { organizationKindOfRole, Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, ConflictError } from '../../errors';
import { paginate, type ConnectionArgs } from '../../graphql/connection';
import { Organization } from '../organizations/organization.entity';
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

export class UserService {
  async create(em: EntityManager, input: NewUser): Promise<User> {
    if (Boolean(input.membership) === Boolean(input.patientId)) {
      throw new BadInputError('A user is either staff (give a membership) or a patient (give a patientId)');
    }
    const user = new User(input.email, input.displayName);
    if (input.patientId) user.patient = await findByIdOrFail(em, Patient, input.patientId, 'Patient');
    em.persist(user);
    if (input.membership) await this.buildMembership(em, user, input.membership.organizationId, input.membership.role);
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('A user with this e-mail address already exists');
      }
      throw error;
    }
    return user;
  }

  async addMembership(em: EntityManager, userId: string, organizationId: string, role: Role): Promise<Membership> {
    const user = await findByIdOrFail(em, User, userId, 'User');
    if (user.patient) throw new BadInputError('A patient user cannot hold a staff membership');
    const existing = await em.findOne(Membership, { user, organization: organizationId, role });
    if (existing) {
      existing.active = true;
      await em.flush();
      return existing;
    }
    const membership = await this.buildMembership(em, user, organizationId, role);
    await em.flush();
    return membership;
  }

  async setMembershipActive(em: EntityManager, membershipId: string, active: boolean): Promise<Membership> {
    const membership = await findByIdOrFail(em, Membership, membershipId, 'Membership');
    membership.active = active;
    await em.flush();
    return membership;
  }

  get(em: EntityManager, id: string): Promise<User> {
    return findByIdOrFail(em, User, id, 'User');
  }

  list(em: EntityManager, organizationId: string | null | undefined, args: ConnectionArgs) {
    return paginate(em, User, organizationId ? { memberships: { organization: organizationId } } : {}, args);
  }

  private async buildMembership(em: EntityManager, user: User, organizationId: string, role: Role): Promise<Membership> {
    const expectedKind = organizationKindOfRole[role];
    if (expectedKind === null) throw new BadInputError(`The role ${role} is not held through an organization`);
    const organization = await findByIdOrFail(em, Organization, organizationId, 'Organization');
    if (organization.kind !== expectedKind) {
      throw new BadInputError(`The role ${role} belongs to an organization of kind ${expectedKind}, not ${organization.kind}`);
    }
    const membership = new Membership(user, organization, role);
    em.persist(membership);
    return membership;
  }
}
