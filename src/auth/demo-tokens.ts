import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyObject } from 'node:crypto';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { signToken, type SigningSettings, type TokenClaims } from './jwt';
import { Role } from './roles';

export interface TokenFor {
  role: Role;
  organizationId?: string | null;
  userId?: string | null;
}

/**
 * Finds the user a local token should name: an active member with that role (in that
 * organization, when given), or for PATIENT a patient user. Oldest first, so the demo's users win.
 */
export async function findClaims(em: EntityManager, wanted: TokenFor): Promise<TokenClaims | null> {
  if (wanted.role === Role.PATIENT) {
    const user = await em.findOne(
      User,
      { active: true, patient: { $ne: null }, ...(wanted.userId ? { id: wanted.userId } : {}) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return user ? { userId: user.id, role: Role.PATIENT, organizationId: null } : null;
  }
  const membership = await em.findOne(
    Membership,
    {
      role: wanted.role,
      active: true,
      user: { active: true, ...(wanted.userId ? { id: wanted.userId } : {}) },
      ...(wanted.organizationId ? { organization: wanted.organizationId } : {}),
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return membership ? { userId: membership.user.id, role: membership.role, organizationId: membership.organization.id } : null;
}

/** One signed token per role, for the start banner. */
export async function demoTokens(
  em: EntityManager,
  settings: SigningSettings,
  privateKey: KeyObject,
  expiresIn: string,
): Promise<{ role: Role; organizationId: string | null; token: string }[]> {
  const tokens = [];
  for (const role of Object.values(Role)) {
    const claims = await findClaims(em, { role });
    if (claims) tokens.push({ role, organizationId: claims.organizationId, token: await signToken(settings, privateKey, claims, expiresIn) });
  }
  return tokens;
}

/** A user the development sign-in offers: who, in which role and organization, and how to name them. */
export interface DemoUser extends TokenClaims {
  email: string;
  displayName: string;
  label: string;
}

/**
 * The active users a local token can name (what `findClaims` finds): each staff membership, then
 * each patient user, oldest first so the demo's users lead; at most `limit`.
 */
export async function listDemoUsers(em: EntityManager, limit = 100): Promise<DemoUser[]> {
  const memberships = await em.find(
    Membership,
    { active: true, user: { active: true } },
    { populate: ['user', 'organization'], orderBy: { createdAt: 'asc', id: 'asc' }, limit },
  );
  const patients = await em.find(User, { active: true, patient: { $ne: null } }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  const staff = memberships.map((membership) => ({
    userId: membership.user.id,
    email: membership.user.email,
    displayName: membership.user.displayName,
    role: membership.role,
    organizationId: membership.organization.id,
    label: `${membership.role} (${membership.user.displayName}, ${membership.organization.name})`,
  }));
  const patientUsers = patients.map((user) => ({ userId: user.id, email: user.email, displayName: user.displayName, role: Role.PATIENT, organizationId: null, label: `${Role.PATIENT} (${user.displayName})` }));
  return [...staff, ...patientUsers].slice(0, limit);
}
