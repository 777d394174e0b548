import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../../auth/roles';
import { Membership } from './membership.entity';

/** The active users with an active membership in any of `organizationIds` (with `role`, when given). */
export async function activeMembersOf(em: EntityManager, organizationIds: string[], role?: Role | Role[]): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  const memberships = await em.find(Membership, {
    organization: { $in: organizationIds },
    active: true,
    user: { active: true },
    ...(role ? { role: Array.isArray(role) ? { $in: role } : role } : {}),
  });
  return [...new Set(memberships.map((membership) => membership.user.id))];
}
