import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrganizationRow } from '../modules/organizations/organization.entity';
import type { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import type { Role } from './roles';

/** A membership as `me` shows it: its organization as a plain row. */
export interface AccountMembership {
  id: string;
  createdAt: Date;
  role: Role;
  active: boolean;
  organization: OrganizationRow;
}

/**
 * The signed-in user's own account, read when their token is checked and kept with it while the
 * token is trusted, so `me` needs no statement. It is forgotten with the token's trust: any change
 * to a user, membership or organization withdraws it (migration credentials_notify and its
 * organization trigger). Plain, frozen data: one entry serves many concurrent requests.
 */
export interface Account {
  user: Readonly<{ id: string; createdAt: Date; email: string; displayName: string; active: boolean }>;
  patientId: string | null;
  /** Every membership, active or not, in the order the memberships loader gives them. */
  memberships: readonly Readonly<AccountMembership>[];
}

function byCreation(a: Membership, b: Membership): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The active user `userId` with their memberships and organizations, in one statement; null when no such active user. */
export async function readAccount(em: EntityManager, userId: string): Promise<Account | null> {
  const user = await em.findOne(User, { id: userId, active: true }, { populate: ['memberships.organization'] });
  if (!user) return null;
  const memberships = [...user.memberships.getItems()].sort(byCreation).map((membership) => {
    const { id, name, kind, createdAt } = membership.organization;
    return Object.freeze({
      id: membership.id,
      createdAt: membership.createdAt,
      role: membership.role,
      active: membership.active,
      organization: Object.freeze({ id, name, kind, createdAt }),
    });
  });
  return Object.freeze({
    user: Object.freeze({ id: user.id, createdAt: user.createdAt, email: user.email, displayName: user.displayName, active: user.active }),
    patientId: user.patient?.id ?? null,
    memberships: Object.freeze(memberships),
  });
}
