import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { organizationKindsOfRole, Role } from '../../auth/roles';
import { conflictOnDuplicate, findByIdOrFail, isUuid } from '../../db/find';
import { BadInputError, ConflictError, ForbiddenError } from '../../errors';
import { paginate, type PageRequest } from '../../db/paging';
import type { AccessPolicy } from '../access/access-policy';
import { DataCategory } from '../consent/data-category';
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

/**
 * An organization's seats are managed by its own admins only. An IOP admin onboards partner
 * organizations but seats nobody in them: a seat at a practice another program's consents name
 * would read what that program disclosed to it.
 */
function assertManages(actor: RequestUser, organizationId: string): void {
  if (organizationId !== actor.organizationId) throw new ForbiddenError("An organization's seats are managed by its own admins");
}

function assertStaff(user: User): void {
  if (user.patient) throw new BadInputError('A patient user cannot hold a staff membership');
}

export class UserService {
  /**
   * Creates a staff member with their first membership, or a patient's user. A patient user's
   * name is the patient's: the admin must be allowed to see that record, and the read is audited.
   */
  async create(em: EntityManager, access: AccessPolicy, actor: RequestUser, input: NewUser): Promise<User> {
    const decision = input.patientId ? await access.authorize(input.patientId, [DataCategory.DEMOGRAPHICS]) : null;
    if (Boolean(input.membership) === Boolean(input.patientId)) {
      throw new BadInputError('A user is either staff (give a membership) or a patient (give a patientId)');
    }
    const user = new User(input.email, input.displayName);
    if (input.patientId) user.patient = await findByIdOrFail(em, Patient, input.patientId, 'Patient');
    em.persist(user);
    if (input.membership) {
      assertManages(actor, input.membership.organizationId);
      await this.buildMembership(em, user, input.membership.organizationId, input.membership.role);
    }
    await conflictOnDuplicate(em.flush(), input.patientId ? 'A user with this e-mail address, or a login for this patient, already exists' : 'A user with this e-mail address already exists');
    if (decision) access.record(decision);
    return user;
  }

  async addMembership(em: EntityManager, actor: RequestUser, userId: string, organizationId: string, role: Role): Promise<Membership> {
    assertManages(actor, organizationId);
    const user = await findByIdOrFail(em, User, userId, 'User');
    assertStaff(user);
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

  async setMembershipActive(em: EntityManager, actor: RequestUser, membershipId: string, active: boolean): Promise<Membership> {
    const membership = await findByIdOrFail(em, Membership, membershipId, 'Membership');
    assertManages(actor, membership.organization.id);
    membership.active = active;
    await em.flush();
    return membership;
  }

  /** The staff of the admin's own organization; patient users are reached through their record. */
  list(em: EntityManager, actor: RequestUser, organizationId: string | null | undefined, args: PageRequest) {
    if (organizationId && !isUuid(organizationId)) throw new BadInputError('organizationId is not an id', { field: 'organizationId' });
    if (organizationId) assertManages(actor, organizationId);
    return paginate(em, User, { patient: null, memberships: { organization: actor.organizationId } }, args);
  }

  /**
   * The hub operator's way to seat an organization's admin (a new program's or partner's first, or
   * one to replace admins who left): trusted, so no actor. An existing staff user keeps their name.
   */
  async addAdmin(em: EntityManager, organizationId: string, email: string, displayName: string): Promise<Membership> {
    return em.transactional(async (tx) => {
      const organization = await findByIdOrFail(tx, Organization, organizationId, 'Organization');
      const known = await tx.findOne(User, { email: email.toLowerCase() });
      const user = known ?? new User(email, displayName);
      assertStaff(user);
      // A seat a deactivated user could not sign in with would look done and not be.
      if (!user.active) throw new ConflictError('This user is deactivated; reactivate them before seating them');
      const existing = known ? await tx.findOne(Membership, { user, organization, role: Role.ADMIN }) : null;
      if (existing?.active) throw new ConflictError('This user is already an admin of this organization');
      const membership = existing ?? new Membership(user, organization, Role.ADMIN);
      membership.active = true;
      tx.persist([user, membership]);
      return membership;
    });
  }

  private async buildMembership(em: EntityManager, user: User, organizationId: string, role: Role): Promise<Membership> {
    const kinds = organizationKindsOfRole[role];
    if (kinds.length === 0) throw new BadInputError(`The role ${role} is not held through an organization`);
    const organization = await findByIdOrFail(em, Organization, organizationId, 'Organization');
    if (!kinds.includes(organization.kind)) {
      throw new BadInputError(`The role ${role} belongs to an organization of kind ${kinds.join(' or ')}, not ${organization.kind}`);
    }
    const membership = new Membership(user, organization, role);
    em.persist(membership);
    return membership;
  }
}
