import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '../errors';
import { type Account, readAccount } from './account';
import type { TokenVerifier } from './jwt';
import { Role } from './roles';

/** The signed-in user of a request, as the resolvers and the policy see them. */
export interface RequestUser {
  id: string;
  role: Role;
  /** The organization the user acts for; null for patients. */
  organizationId: string | null;
  /** The patient record of a PATIENT user; null for staff. */
  patientId: string | null;
}

/** A request's authenticated user and their own account as read when the token was checked. */
export interface SignedIn {
  user: RequestUser;
  account: Account;
}

/**
 * Verifies the bearer token, then checks the database: the user must be active and, for staff,
 * hold an active membership with the token's role in the token's organization. A token outlives
 * neither its user nor its membership. Returns null when no credentials were sent.
 */
export async function authenticate(
  em: EntityManager,
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<SignedIn | null> {
  if (authorization === undefined || authorization === '') return null;
  const match = /^Bearer ([A-Za-z0-9\-_.]+)$/.exec(authorization);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  const claims = await verifier.verify(match[1]);
  if (claims.role !== Role.PATIENT && !claims.organizationId) throw new UnauthenticatedError('The token names no organization');
  const account = await readAccount(em, claims.userId);

  if (claims.role === Role.PATIENT) {
    if (!account?.patientId) throw new UnauthenticatedError('The token names no active patient user');
    return { user: { id: account.user.id, role: claims.role, organizationId: null, patientId: account.patientId }, account };
  }
  const member = account?.memberships.some(
    (membership) => membership.active && membership.role === claims.role && membership.organization.id === claims.organizationId,
  );
  if (!account || !member) throw new UnauthenticatedError('The token names no active user with an active membership');
  return { user: { id: claims.userId, role: claims.role, organizationId: claims.organizationId, patientId: null }, account };
}
