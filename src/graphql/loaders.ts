import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { Organization } from '../modules/organizations/organization.entity';
import { CareTeamMember } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { User } from '../modules/users/user.entity';
import { Membership } from '../modules/users/membership.entity';

/** Loads entities by id, one query per batch. */
function byId<T extends { id: string }>(em: EntityManager, entity: EntityName<T>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const found = await em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
    const byKey = new Map(found.map((item) => [item.id, item]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

/** Loads the children of many parents by the parent's foreign key, one query per batch. */
function byParent<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  parentKey: string,
  parentIdOf: (child: T) => string,
  orderBy: Record<string, 'asc' | 'desc'> = { createdAt: 'asc', id: 'asc' },
): DataLoader<string, T[]> {
  return new DataLoader(async (parentIds) => {
    const children = await em.find(entity, { [parentKey]: { $in: [...parentIds] } } as FilterQuery<T>, {
      orderBy: orderBy as never,
    });
    const grouped = new Map<string, T[]>();
    for (const child of children) {
      const key = parentIdOf(child);
      grouped.set(key, [...(grouped.get(key) ?? []), child]);
    }
    return parentIds.map((id) => grouped.get(id) ?? []);
  });
}

/** The request's DataLoaders: created per request so nothing is cached across users. */
export function createLoaders(em: EntityManager) {
  return {
    organization: byId(em, Organization),
    user: byId(em, User),
    membershipsByUser: byParent(em, Membership, 'user', (membership) => membership.user.id),
    identifiersByPatient: byParent(em, PatientIdentifier, 'patient', (identifier) => identifier.patient.id),
    enrollmentsByPatient: byParent(em, Enrollment, 'patient', (enrollment) => enrollment.patient.id, {
      startedAt: 'desc',
      id: 'asc',
    }),
    careTeamByEnrollment: byParent(em, CareTeamMember, 'enrollment', (member) => member.enrollment.id),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
