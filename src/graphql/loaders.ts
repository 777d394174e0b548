import DataLoader from 'dataloader';
import type { Account, AccountMembership } from '../auth/account';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { readRecordRows } from '../modules/clinical/record-rows';
import { Organization, type OrganizationRow } from '../modules/organizations/organization.entity';
import { CareTeamMember } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { patientCareLoader, type CareTeamMemberRow, type EnrollmentRow, type PatientCare, type PatientIdentifierRow } from '../modules/patients/patient-care';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { User, type UserRow } from '../modules/users/user.entity';
import { Membership } from '../modules/users/membership.entity';
import { WebhookSecret } from '../modules/webhooks/webhook-source.entity';

/** Loads entities by id, one query per batch. */
function byId<T extends { id: string }>(em: () => EntityManager, entity: EntityName<T>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const found = await em().find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
    const byKey = new Map(found.map((item) => [item.id, item]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

/** Loads the children of many parents by the parent's foreign key, one query per batch. */
function byParent<T extends object>(
  em: () => EntityManager,
  entity: EntityName<T>,
  parentKey: string,
  parentIdOf: (child: T) => string,
  orderBy: Record<string, 'asc' | 'desc'> = { createdAt: 'asc', id: 'asc' },
): DataLoader<string, T[]> {
  return new DataLoader(async (parentIds) => {
    const children = await em().find(entity, { [parentKey]: { $in: [...parentIds] } } as FilterQuery<T>, {
      orderBy: orderBy as never,
    });
    return groupBy(parentIds, children, parentIdOf);
  });
}

function groupBy<T>(keys: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const grouped = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = grouped.get(key);
    if (group) group.push(item);
    else grouped.set(key, [item]);
  }
  return keys.map((key) => grouped.get(key) ?? []);
}

/**
 * The request's DataLoaders: created per request so nothing is cached across users. `em` is called
 * when a loader first reads: a request answered from primed loaders (`me`) forks no EntityManager.
 */
export function createLoaders(em: () => EntityManager) {
  // Organizations read beside records are plain rows; the GraphQL type shows the same fields of either.
  const organization: DataLoader<string, OrganizationRow | null> = byId(em, Organization);
  // Likewise users, identifiers, enrolments and care teams: entities, or rows the patient view primes them with.
  const user: DataLoader<string, UserRow | null> = byId(em, User);
  const identifiersByPatient: DataLoader<string, PatientIdentifierRow[]> = byParent(em, PatientIdentifier, 'patient', (identifier) => identifier.patient.id);
  const enrollmentsByPatient: DataLoader<string, EnrollmentRow[]> = byParent(em, Enrollment, 'patient', (enrollment) => enrollment.patient.id, {
    startedAt: 'desc',
    id: 'asc',
  });
  const careTeamByEnrollment: DataLoader<string, CareTeamMemberRow[]> = byParent(em, CareTeamMember, 'enrollment', (member) => member.enrollment.id);
  return {
    organization,
    user,
    /** Entities, or an account's plain memberships (`primeWithAccount`): the GraphQL type shows the same fields of either. */
    membershipsByUser: byParent(em, Membership, 'user', (membership) => membership.user.id) as DataLoader<string, (Membership | AccountMembership)[]>,
    webhookSecretsBySource: byParent(em, WebhookSecret, 'source', (secret) => secret.source.id),
    identifiersByPatient,
    enrollmentsByPatient,
    careTeamByEnrollment,
    /** A patient with identifiers, enrolments and care teams (the policy reads enrolments and care teams from it too). */
    patientCare: patientCareLoader(em),
    /** Every kind of clinical record in one statement (single-table inheritance) with its source and pharmacy, as plain rows. */
    clinicalRecordsByPatient: new DataLoader(async (patientIds: readonly string[]) => {
      const { records, organizations } = await readRecordRows(em(), patientIds);
      for (const each of organizations) organization.prime(each.id, each);
      return groupBy(patientIds, records, (record) => record.patientId);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Fills the loaders from a patient's care as read for the view (PatientService.read). */
export function primeWithCare(loaders: Loaders, { patient, identifiers, enrollments }: PatientCare): void {
  loaders.identifiersByPatient.prime(patient.id, identifiers);
  loaders.enrollmentsByPatient.prime(
    patient.id,
    enrollments.map(({ enrollment }) => enrollment),
  );
  for (const identifier of identifiers) loaders.organization.prime(identifier.organization.id, identifier.organization);
  for (const { enrollment, careTeam } of enrollments) {
    loaders.organization.prime(enrollment.program.id, enrollment.program);
    loaders.careTeamByEnrollment.prime(enrollment.id, careTeam);
    for (const member of careTeam) loaders.user.prime(member.user.id, member.user);
  }
}

/** Fills the loaders from the signed-in user's account, so `me` is answered without a statement. */
export function primeWithAccount(loaders: Loaders, account: Account): void {
  loaders.membershipsByUser.prime(account.user.id, [...account.memberships]);
  for (const membership of account.memberships) loaders.organization.prime(membership.organization.id, membership.organization);
}
