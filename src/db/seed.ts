import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/roles';
import type { TokenClaims } from '../auth/jwt';
import type { RequestUser } from '../auth/request-user';
import { Organization, OrganizationKind } from '../modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { Patient } from '../modules/patients/patient.entity';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { addToOutbox } from '../jobs/outbox';
import { demoPatients, patientEmails, tellDemoStory } from './demo-story';

export interface DemoUser {
  label: string;
  claims: TokenClaims;
}

/** Who the demo's story is about and who acts in it, as the services see them. */
export interface DemoCast {
  organizations: Record<'iop' | 'practice' | 'pharmacy' | 'lab' | 'localProvider', string>;
  staff: Record<'admin' | 'prescriber' | 'therapist' | 'pcp' | 'pharmacist' | 'lab' | 'localProvider', RequestUser>;
  /** Avery, Jordan and Riley, in that order. */
  patients: Patient[];
  /** Avery's own login (the demo's patient user). */
  patientUser: RequestUser;
}

/**
 * Seeds the demo when the database has no organization yet: one organization of each kind, a user
 * of every role, three patients enrolled in the IOP with a care team, and, unless `story` is false
 * (tests that build their own data), the story that gives every role something to see
 * (`demo-story/`). Returns the demo users (empty when the database already had data).
 */
export async function seedDemoIfEmpty(em: EntityManager, { story = true } = {}): Promise<DemoUser[]> {
  if ((await em.count(Organization, {})) > 0) return [];
  const { cast, users } = await seedCast(em, story);
  if (story) await tellDemoStory(em, cast);
  return users;
}

/** The organizations, users and enrolled patients, in one transaction; the patients' contact details only for the story. */
async function seedCast(em: EntityManager, withContacts: boolean): Promise<{ cast: DemoCast; users: DemoUser[] }> {
  return em.transactional(async (tx) => {
    const org = (name: string, kind: OrganizationKind) => {
      const organization = new Organization(name, kind);
      tx.persist(organization);
      return organization;
    };
    const iop = org('Harbor Virtual IOP', OrganizationKind.IOP);
    const practice = org('Maple Street Family Medicine', OrganizationKind.PRIMARY_CARE);
    const pharmacy = org('Corner Community Pharmacy', OrganizationKind.PHARMACY);
    const lab = org('Regional Reference Lab', OrganizationKind.LAB);
    const localProvider = org('Downtown Behavioral Health Clinic', OrganizationKind.LOCAL_PROVIDER);

    const staff = (email: string, displayName: string, organization: Organization, role: Role) => {
      const user = new User(email, displayName);
      tx.persist([user, new Membership(user, organization, role)]);
      return { user, organization, role };
    };
    const staffUsers = {
      admin: staff('admin@harbor-iop.example', 'IOP Administrator', iop, Role.ADMIN),
      prescriber: staff('prescriber@harbor-iop.example', 'Dr. Casey Prescriber', iop, Role.IOP_CLINICIAN),
      therapist: staff('therapist@harbor-iop.example', 'Sam Therapist, LCSW', iop, Role.IOP_CLINICIAN),
      pcp: staff('pcp@maple-fm.example', 'Dr. Morgan Primary', practice, Role.PCP),
      pharmacist: staff('pharmacist@corner-rx.example', 'Pat Pharmacist, PharmD', pharmacy, Role.PHARMACIST),
      lab: staff('interface@regional-lab.example', 'Lab Interface', lab, Role.LAB),
      localProvider: staff('intake@downtown-bh.example', 'Drew Local Provider', localProvider, Role.LOCAL_PROVIDER),
    };
    const { prescriber, therapist } = staffUsers;

    const patients = demoPatients.map(({ mrn, contact, ...data }) => {
      const patient = new Patient(data.givenName, data.familyName, data.birthDate);
      patient.city = contact.city;
      if (withContacts) Object.assign(patient, contact);
      patient.registeredBy = iop;
      const enrollment = new Enrollment(patient, iop);
      tx.persist([
        patient,
        new PatientIdentifier(patient, iop, mrn),
        enrollment,
        new CareTeamMember(enrollment, prescriber.user, CareTeamRole.PRESCRIBER),
        new CareTeamMember(enrollment, therapist.user, CareTeamRole.THERAPIST),
      ]);
      addToOutbox(tx, 'notifications', 'patient.enrolled', { enrollmentId: enrollment.id });
      return patient;
    });
    const patientUser = new User(patientEmails[0], 'Avery Demo');
    patientUser.patient = patients[0];
    tx.persist(patientUser);

    const users: DemoUser[] = Object.values(staffUsers).map(({ user, organization, role }) => ({
      label: `${role} (${user.displayName}, ${organization.name})`,
      claims: { userId: user.id, role, organizationId: organization.id },
    }));
    users.push({
      label: `PATIENT (${patientUser.displayName})`,
      claims: { userId: patientUser.id, role: Role.PATIENT, organizationId: null },
    });
    const asRequestUser = ({ user, organization, role }: (typeof staffUsers)[keyof typeof staffUsers]): RequestUser => ({
      id: user.id,
      role,
      organizationId: organization.id,
      patientId: null,
    });
    const cast: DemoCast = {
      organizations: { iop: iop.id, practice: practice.id, pharmacy: pharmacy.id, lab: lab.id, localProvider: localProvider.id },
      staff: Object.fromEntries(Object.entries(staffUsers).map(([key, member]) => [key, asRequestUser(member)])) as DemoCast['staff'],
      patients,
      patientUser: { id: patientUser.id, role: Role.PATIENT, organizationId: null, patientId: patients[0].id },
    };
    return { cast, users };
  });
}
