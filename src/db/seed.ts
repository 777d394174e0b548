import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/roles';
import type { TokenClaims } from '../auth/jwt';
import { Organization, OrganizationKind } from '../modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { Patient } from '../modules/patients/patient.entity';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { addToOutbox } from '../jobs/outbox';

export interface DemoUser {
  label: string;
  claims: TokenClaims;
}

/** Fictional people only: the demo must never hold real PHI. */
const demoPatients = [
  { givenName: 'Avery', familyName: 'Demo', birthDate: '1988-04-12', mrn: 'IOP-1001', city: 'Springfield' },
  { givenName: 'Jordan', familyName: 'Sample', birthDate: '1995-11-03', mrn: 'IOP-1002', city: 'Riverton' },
  { givenName: 'Riley', familyName: 'Example', birthDate: '1979-07-28', mrn: 'IOP-1003', city: 'Lakeside' },
];

/**
 * Seeds a small demo when the database has no organization yet: one organization of each kind,
 * a user of every role, and three patients enrolled in the IOP with a care team. Returns the demo
 * users (empty when the database already had data).
 */
export async function seedDemoIfEmpty(em: EntityManager): Promise<DemoUser[]> {
  if ((await em.count(Organization, {})) > 0) return [];
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
    const staffUsers = [
      staff('admin@harbor-iop.example', 'IOP Administrator', iop, Role.ADMIN),
      staff('prescriber@harbor-iop.example', 'Dr. Casey Prescriber', iop, Role.IOP_CLINICIAN),
      staff('therapist@harbor-iop.example', 'Sam Therapist, LCSW', iop, Role.IOP_CLINICIAN),
      staff('pcp@maple-fm.example', 'Dr. Morgan Primary', practice, Role.PCP),
      staff('pharmacist@corner-rx.example', 'Pat Pharmacist, PharmD', pharmacy, Role.PHARMACIST),
      staff('interface@regional-lab.example', 'Lab Interface', lab, Role.LAB),
      staff('intake@downtown-bh.example', 'Drew Local Provider', localProvider, Role.LOCAL_PROVIDER),
    ];
    const [, prescriber, therapist] = staffUsers;

    const patients = demoPatients.map((data) => {
      const patient = new Patient(data.givenName, data.familyName, data.birthDate);
      patient.city = data.city;
      patient.registeredBy = iop;
      const enrollment = new Enrollment(patient, iop);
      tx.persist([
        patient,
        new PatientIdentifier(patient, iop, data.mrn),
        enrollment,
        new CareTeamMember(enrollment, prescriber.user, CareTeamRole.PRESCRIBER),
        new CareTeamMember(enrollment, therapist.user, CareTeamRole.THERAPIST),
      ]);
      addToOutbox(tx, 'notifications', 'patient.enrolled', { enrollmentId: enrollment.id });
      return patient;
    });
    const patientUser = new User('avery.demo@patients.example', 'Avery Demo');
    patientUser.patient = patients[0];
    tx.persist(patientUser);

    const demoUsers: DemoUser[] = staffUsers.map(({ user, organization, role }) => ({
      label: `${role} (${user.displayName}, ${organization.name})`,
      claims: { userId: user.id, role, organizationId: organization.id },
    }));
    demoUsers.push({
      label: `PATIENT (${patientUser.displayName})`,
      claims: { userId: patientUser.id, role: Role.PATIENT, organizationId: null },
    });
    return demoUsers;
  });
}
