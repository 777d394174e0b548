import type { EntityManager } from '@mikro-orm/postgresql';
import type { TokenClaims } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { seedDemoIfEmpty } from '../../src/db/seed';
import { Organization, OrganizationKind } from '../../src/modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../../src/modules/patients/care-team-member.entity';
import { Enrollment } from '../../src/modules/patients/enrollment.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { Membership } from '../../src/modules/users/membership.entity';
import { User } from '../../src/modules/users/user.entity';

/**
 * The demo seed without its story as a test world: one organization of each kind, a user of every role, three
 * patients in the IOP with a prescriber and a therapist on each care team; the patient user is
 * the first patient.
 */
export interface World {
  claims: Record<Role, TokenClaims>;
  /** The IOP's second clinician (the therapist), also on every care team. */
  therapist: TokenClaims;
  patients: Patient[];
  iopId: string;
}

export async function seedWorld(em: EntityManager): Promise<World> {
  const users = await seedDemoIfEmpty(em, { story: false });
  const claims = {} as Record<Role, TokenClaims>;
  let therapist: TokenClaims | undefined;
  for (const { claims: each } of users) {
    if (claims[each.role]) therapist = each;
    else claims[each.role] = each;
  }
  const patients = await em.fork().find(Patient, {}, { orderBy: { birthDate: 'desc' } });
  const patientUser = await em.fork().findOneOrFail(User, { id: claims[Role.PATIENT].userId });
  patients.sort((a, b) => (a.id === patientUser.patient?.id ? -1 : b.id === patientUser.patient?.id ? 1 : 0));
  return { claims, therapist: therapist!, patients, iopId: claims[Role.IOP_CLINICIAN].organizationId! };
}

export interface SecondProgram {
  iopId: string;
  clinician: TokenClaims;
  admin: TokenClaims;
  /** Enrolled only in the second program. */
  ownPatientId: string;
  /** The first world's first patient, also enrolled here (e.g. a Part 2 SUD program). */
  sharedPatientId: string;
}

/** A second IOP with its own clinician, admin and patient; it also treats the world's first patient. */
export async function addSecondProgram(em: EntityManager, world: World): Promise<SecondProgram> {
  const fork = em.fork();
  const iop = new Organization('Second Harbor SUD Program', OrganizationKind.IOP);
  const clinician = new User('clinician@second-iop.example', 'Second Clinician');
  const admin = new User('admin@second-iop.example', 'Second Admin');
  const own = new Patient('Second', 'Patient', '1970-01-01');
  const ownEnrollment = new Enrollment(own, iop);
  fork.persist([
    iop,
    clinician,
    admin,
    new Membership(clinician, iop, Role.IOP_CLINICIAN),
    new Membership(admin, iop, Role.ADMIN),
    own,
    ownEnrollment,
    new CareTeamMember(ownEnrollment, clinician, CareTeamRole.PRESCRIBER),
  ]);
  await fork.flush();
  const clinicianClaims: TokenClaims = { userId: clinician.id, role: Role.IOP_CLINICIAN, organizationId: iop.id };
  await enrollInProgram(em, world.patients[0].id, clinicianClaims);
  return {
    iopId: iop.id,
    clinician: clinicianClaims,
    admin: { userId: admin.id, role: Role.ADMIN, organizationId: iop.id },
    ownPatientId: own.id,
    sharedPatientId: world.patients[0].id,
  };
}

/** Enrols a patient in the program of `clinician`, with the clinician as prescriber on the care team; returns the enrolment's id. */
export async function enrollInProgram(em: EntityManager, patientId: string, clinician: TokenClaims): Promise<string> {
  const fork = em.fork();
  const enrollment = new Enrollment(fork.getReference(Patient, patientId), fork.getReference(Organization, clinician.organizationId!));
  await fork.persist([enrollment, new CareTeamMember(enrollment, fork.getReference(User, clinician.userId), CareTeamRole.PRESCRIBER)]).flush();
  return enrollment.id;
}

/** Another active user with the same role at the same organization as `of`. */
export async function addColleague(em: EntityManager, of: TokenClaims): Promise<TokenClaims> {
  const user = new User(`colleague-${of.userId.slice(0, 8)}@${of.role.toLowerCase()}.example`, 'Colleague Of Theirs');
  await em.persist([user, new Membership(user, em.getReference(Organization, of.organizationId!), of.role)]).flush();
  return { userId: user.id, role: of.role, organizationId: of.organizationId };
}
