import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '../errors';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
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

/**
 * Verifies the bearer token, then checks the database: the user must be active and, for staff,
 * hold an active membership with the token's role in the token's organization. A token outlives
 * neither its user nor its membership. Returns null when no credentials were sent.
 */
export async function authenticate(
  em: EntityManager,
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<RequestUser | null> {
  if (authorization === undefined || authorization === '') return null;
  const match = /^Bearer ([A-Za-z0-9\-_.]+)$/.exec(authorization);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  const claims = await verifier.verify(match[1]);

  if (claims.role === Role.PATIENT) {
    const user = await em.findOne(User, { id: claims.userId, active: true });
    if (!user?.patient) throw new UnauthenticatedError('The token names no active patient user');
    return { id: user.id, role: claims.role, organizationId: null, patientId: user.patient.id };
  }
  if (!claims.organizationId) throw new UnauthenticatedError('The token names no organization');
  const membership = await em.count(Membership, {
    user: { id: claims.userId, active: true },
    organization: claims.organizationId,
    role: claims.role,
    active: true,
  });
  if (membership === 0) throw new UnauthenticatedError('The token names no active user with an active membership');
  return { id: claims.userId, role: claims.role, organizationId: claims.organizationId, patientId: null };
}
