import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../../db/find';
import { runPrepared } from '../../db/prepared';
import type { OrganizationRow } from '../organizations/organization.entity';
import type { UserRow } from '../users/user.entity';
import type { CareTeamMember } from './care-team-member.entity';
import type { Enrollment } from './enrollment.entity';
import type { PatientIdentifier } from './patient-identifier.entity';
import type { Patient } from './patient.entity';

/** A patient as the read path gives it: the fields its GraphQL type shows, no ORM state. */
export type PatientRow = Pick<
  Patient,
  'id' | 'createdAt' | 'givenName' | 'familyName' | 'birthDate' | 'birthDatePrecision' | 'phone' | 'addressLine' | 'city' | 'region' | 'postalCode'
>;

/** A record number as the read path gives it, with the organization that assigned it. */
export type PatientIdentifierRow = Pick<PatientIdentifier, 'id' | 'createdAt' | 'value' | 'system'> & { organization: OrganizationRow };

/** An enrolment as the read path gives it, with its program. */
export type EnrollmentRow = Pick<Enrollment, 'id' | 'createdAt' | 'status' | 'startedAt' | 'endedAt'> & { patient: { id: string }; program: OrganizationRow };

/** A care team member as the read path gives it, with the user. */
export type CareTeamMemberRow = Pick<CareTeamMember, 'id' | 'createdAt' | 'teamRole' | 'removedAt'> & { enrollment: { id: string }; user: UserRow };

/**
 * A patient with their identifiers, and every enrolment (in any program) with its care team: what
 * the access rules need to know of a staff member's hold on the patient, and what the patient view
 * shows of their care. Enrolments newest first; identifiers and care teams oldest first.
 */
export interface PatientCare {
  patient: PatientRow;
  identifiers: PatientIdentifierRow[];
  enrollments: { enrollment: EnrollmentRow; careTeam: CareTeamMemberRow[] }[];
}

/** A request's reads of patients' care, batched and cached: the policy and the view share one. */
export type PatientCareLoader = DataLoader<string, PatientCare | null>;

const organizationJson = (alias: string) => `json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'kind', ${alias}.kind, 'createdAt', ${alias}.created_at)`;

/**
 * One statement for a batch of patients, each one JSON document aggregated in Postgres: no rows
 * multiplied by joins, no entities, one text for every batch (prepared once per connection).
 */
const careStatement = `select p.id, json_build_object(
  'patient', json_build_object('id', p.id, 'createdAt', p.created_at, 'givenName', p.given_name, 'familyName', p.family_name,
    'birthDate', p.birth_date, 'birthDatePrecision', p.birth_date_precision, 'phone', p.phone, 'addressLine', p.address_line,
    'city', p.city, 'region', p.region, 'postalCode', p.postal_code),
  'identifiers', coalesce((
    select json_agg(json_build_object('id', i.id, 'createdAt', i.created_at, 'value', i.value, 'system', i.system, 'organization', ${organizationJson('o')})
      order by i.created_at, i.id)
    from patient_identifier i join organization o on o.id = i.organization_id where i.patient_id = p.id), '[]'),
  'enrollments', coalesce((
    select json_agg(json_build_object(
      'enrollment', json_build_object('id', e.id, 'createdAt', e.created_at, 'status', e.status, 'startedAt', e.started_at, 'endedAt', e.ended_at,
        'patient', json_build_object('id', e.patient_id), 'program', ${organizationJson('program')}),
      'careTeam', coalesce((
        select json_agg(json_build_object('id', m.id, 'createdAt', m.created_at, 'teamRole', m.team_role, 'removedAt', m.removed_at,
          'enrollment', json_build_object('id', m.enrollment_id),
          'user', json_build_object('id', u.id, 'createdAt', u.created_at, 'email', u.email, 'displayName', u.display_name, 'active', u.active))
          order by m.created_at, m.id)
        from care_team_member m join app_user u on u.id = m.user_id where m.enrollment_id = e.id), '[]'))
      order by e.started_at desc, e.id)
    from enrollment e join organization program on program.id = e.program_id where e.patient_id = p.id), '[]')
) as care from patient p where p.id = any($1::uuid[])`;

/** The care of a patient as JSON gives it: timestamps as ISO text. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] extends object | null ? Json<T[K]> : T[K] };

const dateOf = (text: string) => new Date(text);
const organizationOf = (organization: Json<OrganizationRow>): OrganizationRow => ({ ...organization, createdAt: dateOf(organization.createdAt) });

function careOf({ patient, identifiers, enrollments }: Json<PatientCare>): PatientCare {
  return {
    patient: { ...patient, createdAt: dateOf(patient.createdAt) },
    identifiers: identifiers.map((identifier) => ({ ...identifier, createdAt: dateOf(identifier.createdAt), organization: organizationOf(identifier.organization) })),
    enrollments: enrollments.map(({ enrollment, careTeam }) => ({
      enrollment: {
        ...enrollment,
        createdAt: dateOf(enrollment.createdAt),
        startedAt: dateOf(enrollment.startedAt),
        endedAt: enrollment.endedAt === null ? null : dateOf(enrollment.endedAt),
        program: organizationOf(enrollment.program),
      },
      careTeam: careTeam.map((member) => ({
        ...member,
        createdAt: dateOf(member.createdAt),
        removedAt: member.removedAt === null ? null : dateOf(member.removedAt),
        user: { ...member.user, createdAt: dateOf(member.user.createdAt) },
      })),
    })),
  };
}

/** The care of each of `patientIds`, in order; null for an id that names no patient. */
export async function readPatientCare(em: EntityManager, patientIds: readonly string[]): Promise<(PatientCare | null)[]> {
  const ids = patientIds.filter(isUuid);
  const rows = ids.length > 0 ? await runPrepared<{ id: string; care: Json<PatientCare> }>(em, careStatement, [ids]) : [];
  const byId = new Map(rows.map((row) => [row.id, row.care]));
  return patientIds.map((id) => {
    const care = byId.get(id.toLowerCase());
    return care ? careOf(care) : null;
  });
}

/** A loader for one request (or one policy): nothing is cached across requests. */
export function patientCareLoader(em: () => EntityManager): PatientCareLoader {
  return new DataLoader((patientIds) => readPatientCare(em(), patientIds));
}
