import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { conflictOnDuplicate, findByIdOrFail, isUuid, refusedAsNotFound } from '../../db/find';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { paginate, type PageRequest } from '../../db/paging';
import { addToOutbox } from '../../jobs/outbox';
import { Consent, ConsentExpiryEvent, ConsentStatus } from '../consent/consent.entity';
import type { AccessPolicy } from '../access/access-policy';
import { DataCategory, type Purpose } from '../consent/data-category';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Membership } from '../users/membership.entity';
import { User } from '../users/user.entity';
import { CareTeamMember, CareTeamRole } from './care-team-member.entity';
import { Enrollment, EnrollmentStatus } from './enrollment.entity';
import type { PatientCare, PatientCareLoader } from './patient-care';
import { PatientIdentifier } from './patient-identifier.entity';
import { Patient } from './patient.entity';

export interface NewPatient {
  givenName: string;
  familyName: string;
  birthDate: string;
  phone?: string | null;
  addressLine?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  /** The program's own identifier (MRN) for the patient. */
  mrn?: string | null;
  /** The creating clinician's role on the new care team. */
  careTeamRole?: CareTeamRole | null;
}

/** Patients, their enrolment in an IOP program and their care team. */
export interface PatientSearch {
  purpose: Purpose;
  name?: string | null;
  birthDate?: string | null;
}

export class PatientService {
  /** One enrolment, shown as the patient's `enrollments` shows it (TREATMENT_SUMMARY, its program's staff); otherwise NOT_FOUND. */
  async findEnrollmentFor(em: EntityManager, access: AccessPolicy, enrollmentId: string): Promise<Enrollment> {
    const enrollment = await findByIdOrFail(em, Enrollment, enrollmentId, 'Enrollment');
    const shown = await refusedAsNotFound(access.discloseEnrollments(enrollment.patient.id, [enrollment]), 'Enrollment', enrollmentId);
    if (shown.length === 0) throw new NotFoundError('Enrollment', enrollmentId);
    return enrollment;
  }

  /** Registers a patient (see `registerPatient`); the registration returned is disclosed once committed. */
  async register(em: EntityManager, access: AccessPolicy, actor: RequestUser, input: NewPatient): Promise<{ patient: Patient; enrollment: Enrollment }> {
    const registered = await this.registerPatient(em, actor, input);
    await access.disclose(registered.patient.id, [DataCategory.DEMOGRAPHICS, DataCategory.TREATMENT_SUMMARY]);
    return registered;
  }

  /**
   * Registers a patient and enrols them in the caller's program in one transaction; a clinician
   * who does so joins the care team. The care team is notified through the outbox.
   */
  async registerPatient(em: EntityManager, actor: RequestUser, input: NewPatient): Promise<{ patient: Patient; enrollment: Enrollment }> {
    const registration = em.transactional(async (tx) => {
      const program = await this.programOf(tx, actor);
      const patient = new Patient(input.givenName.trim(), input.familyName.trim(), input.birthDate);
      Object.assign(patient, {
        phone: input.phone ?? null,
        addressLine: input.addressLine ?? null,
        city: input.city ?? null,
        region: input.region ?? null,
        postalCode: input.postalCode ?? null,
      });
      patient.registeredBy = program;
      tx.persist(patient);
      if (input.mrn) await this.assignIdentifier(tx, patient, program, input.mrn);
      const enrollment = this.openEnrollment(tx, patient, program);
      if (actor.role === Role.IOP_CLINICIAN) {
        tx.persist(new CareTeamMember(enrollment, tx.getReference(User, actor.id), input.careTeamRole ?? CareTeamRole.PRESCRIBER));
      }
      return { patient, enrollment };
    });
    return conflictOnDuplicate(registration, 'This identifier is already assigned to another patient');
  }

  /**
   * Enrols a known patient in the admin's program (e.g. a readmission): one the program registered
   * or received. Any other patient is refused exactly like an unknown id.
   */
  async enroll(em: EntityManager, access: AccessPolicy, actor: RequestUser, patientId: string): Promise<Enrollment> {
    return this.admit(em, access, async (tx) => {
      const program = await this.programOf(tx, actor);
      return { patient: await this.enrollableBy(tx, program, patientId), program };
    });
  }

  /** The patient's own request to be enrolled in an IOP program. */
  async requestEnrollment(em: EntityManager, access: AccessPolicy, actor: RequestUser, programId: string): Promise<Enrollment> {
    const patientId = actor.role === Role.PATIENT ? actor.patientId : null;
    if (!patientId) throw new ForbiddenError('Only a patient asks to be enrolled');
    return this.admit(em, access, async (tx) => {
      const program = isUuid(programId) ? await tx.findOne(Organization, { id: programId, kind: OrganizationKind.IOP }) : null;
      if (!program) throw new NotFoundError('Program', programId);
      return { patient: tx.getReference(Patient, patientId), program };
    });
  }

  async endEnrollment(em: EntityManager, access: AccessPolicy, actor: RequestUser, enrollmentId: string, status: EnrollmentStatus): Promise<Enrollment> {
    await this.requireCareOfEnrollment(em, access, actor, enrollmentId);
    const enrollment = await em.transactional(async (tx) => {
      const enrollment = await this.ownProgramEnrollment(tx, actor, enrollmentId);
      enrollment.end(status);
      // Consents the patient gave "until the end of treatment" in this program end with it.
      const ending = await tx.find(
        Consent,
        { patient: enrollment.patient, program: enrollment.program, status: ConsentStatus.ACTIVE, expiryEvent: ConsentExpiryEvent.END_OF_TREATMENT },
        { populate: ['events'] },
      );
      for (const consent of ending) {
        consent.expire();
        addToOutbox(tx, 'roi-consent', 'consent.expired', { consentId: consent.id });
      }
      return enrollment;
    });
    await access.disclose(enrollment.patient.id, [DataCategory.TREATMENT_SUMMARY]);
    return enrollment;
  }

  async addCareTeamMember(
    em: EntityManager,
    access: AccessPolicy,
    actor: RequestUser,
    enrollmentId: string,
    userId: string,
    teamRole: CareTeamRole,
  ): Promise<CareTeamMember> {
    await this.requireCareOfEnrollment(em, access, actor, enrollmentId);
    const member = await em.transactional(async (tx) => {
      const enrollment = await this.ownProgramEnrollment(tx, actor, enrollmentId);
      if (!enrollment.isActive) throw new ConflictError('The enrollment has ended');
      if (!isUuid(userId)) throw new BadInputError('userId is not a user id', { field: 'userId' });
      const clinician = await tx.count(Membership, {
        user: userId,
        organization: enrollment.program,
        role: Role.IOP_CLINICIAN,
        active: true,
      });
      if (clinician === 0) throw new BadInputError('Only an active clinician of the program can join its care team');
      const existing = await tx.findOne(CareTeamMember, { enrollment, user: userId });
      if (existing) {
        existing.restore(teamRole);
        return existing;
      }
      const member = new CareTeamMember(enrollment, tx.getReference(User, userId), teamRole);
      tx.persist(member);
      return member;
    });
    await access.disclose(member.enrollment.patient.id, [DataCategory.TREATMENT_SUMMARY]);
    return member;
  }

  async removeCareTeamMember(em: EntityManager, access: AccessPolicy, actor: RequestUser, enrollmentId: string, userId: string): Promise<CareTeamMember> {
    await this.requireCareOfEnrollment(em, access, actor, enrollmentId);
    const member = await em.transactional(async (tx) => {
      const enrollment = await this.ownProgramEnrollment(tx, actor, enrollmentId);
      const member = isUuid(userId) ? await tx.findOne(CareTeamMember, { enrollment, user: userId }) : null;
      if (!member) throw new BadInputError('That user is not on this care team');
      member.remove();
      return member;
    });
    await access.disclose(member.enrollment.patient.id, [DataCategory.TREATMENT_SUMMARY]);
    return member;
  }

  /**
   * Records the identifier the caller's program or a partner (a practice, a pharmacy, a lab) uses
   * for the patient. Another program's identifiers are its own record: only it records them.
   */
  async addIdentifier(
    em: EntityManager,
    access: AccessPolicy,
    patientId: string,
    organizationId: string,
    value: string,
    system = '',
  ): Promise<PatientIdentifier> {
    // Checked before the transaction, on the request's connection (see `ClinicalService.record`).
    await access.requireCareOf(patientId);
    const identifier = em.transactional(async (tx) => {
      const patient = await findByIdOrFail(tx, Patient, patientId, 'Patient');
      const organization = await findByIdOrFail(tx, Organization, organizationId, 'Organization');
      if (!access.showsIdentifierFrom(organization)) {
        throw new ForbiddenError('Only the program that assigned an identifier may record it', { organizationId });
      }
      const existing = await tx.findOne(PatientIdentifier, { patient, organization, system, value });
      if (existing) return existing;
      return this.assignIdentifier(tx, patient, organization, value, system);
    });
    const recorded = await conflictOnDuplicate(identifier, 'This identifier is already assigned to another patient');
    await access.disclose(patientId, [DataCategory.DEMOGRAPHICS]);
    return recorded;
  }

  /**
   * A patient's record with identifiers, enrolments, programs and care teams, read for `purpose`
   * (every field of it is then decided and audited under it), as plain rows. The policy's look-up
   * reads the same enrolments and care teams through the same request's `care` loader, so staff
   * pay one statement for both.
   */
  async read(care: PatientCareLoader, access: AccessPolicy, id: string, purpose: Purpose): Promise<PatientCare> {
    access.readFor(id, purpose);
    const decision = await access.authorize(id, [DataCategory.DEMOGRAPHICS]);
    const found = await care.load(id);
    if (!found) throw new NotFoundError('Patient', id);
    access.record(decision);
    return found;
  }

  get(em: EntityManager, id: string): Promise<Patient> {
    return findByIdOrFail(em, Patient, id, 'Patient');
  }

  /** The patients the user may see (the policy's scope), narrowed by the search; others are never counted. Each listed is read for the search's purpose. */
  async list(em: EntityManager, access: AccessPolicy, args: PageRequest & PatientSearch) {
    const narrowed: FilterQuery<Patient>[] = [await access.patientScope(args.purpose)];
    if (args.name) {
      const pattern = `%${args.name.replace(/[\\%_]/g, '\\$&')}%`;
      narrowed.push({ $or: [{ givenName: { $ilike: pattern } }, { familyName: { $ilike: pattern } }] });
    }
    if (args.birthDate) narrowed.push({ birthDate: args.birthDate });
    const page = await paginate(em, Patient, { $and: narrowed }, args);
    for (const { node } of page.edges) access.readFor(node.id, args.purpose);
    await Promise.all(page.edges.map(({ node }) => access.disclose(node.id, [DataCategory.DEMOGRAPHICS])));
    return page;
  }

  /** Opens an enrolment of the patient `choose` names in its program, unless one is active there. */
  private async admit(em: EntityManager, access: AccessPolicy, choose: (tx: EntityManager) => Promise<{ patient: Patient; program: Organization }>): Promise<Enrollment> {
    const alreadyEnrolled = 'The patient already has an active enrollment in this program';
    const enrollment = em.transactional(async (tx) => {
      const { patient, program } = await choose(tx);
      const open = await tx.count(Enrollment, { patient, program, status: EnrollmentStatus.ACTIVE });
      if (open > 0) throw new ConflictError(alreadyEnrolled);
      return this.openEnrollment(tx, patient, program);
    });
    // A concurrent enrolment passes the count above; the partial unique index refuses it.
    const admitted = await conflictOnDuplicate(enrollment, alreadyEnrolled);
    await access.disclose(admitted.patient.id, [DataCategory.TREATMENT_SUMMARY]);
    return admitted;
  }

  /**
   * The patient, when the program registered or received them. Otherwise FORBIDDEN, reached with
   * the same statements and worded the same for a patient known elsewhere as for an unknown id, so
   * enrolling tells a program nothing of other programs' patients.
   */
  private async enrollableBy(tx: EntityManager, program: Organization, patientId: string): Promise<Patient> {
    const refused = new ForbiddenError('You may not enrol this patient', { patientId });
    if (!isUuid(patientId)) throw refused;
    const received = await this.hasReceived(tx, program, patientId);
    const patient = await tx.findOne(Patient, received ? { id: patientId } : { id: patientId, registeredBy: program });
    if (!patient) throw refused;
    return patient;
  }

  /** Whether the patient was passed to the program: a consent in force names it among the recipients. */
  private async hasReceived(tx: EntityManager, program: Organization, patientId: string): Promise<boolean> {
    const naming = await tx.find(Consent, { patient: patientId, status: ConsentStatus.ACTIVE, recipientOrganizationIds: { $contains: [program.id] } });
    return naming.some((consent) => consent.inForce());
  }

  /**
   * Allows acting on the care of the patient of an enrolment in the staff member's own program, or
   * throws. Decided before the caller's transaction: the policy reads on the request's own
   * connection, and a transaction waiting for a second one deadlocks a burst as large as the pool
   * (see `ClinicalService.record`). An enrolment's patient never changes, so the decision holds
   * for the enrolment the transaction then locks. Read on a fork, so the transaction reads the row afresh.
   */
  private async requireCareOfEnrollment(em: EntityManager, access: AccessPolicy, actor: RequestUser, enrollmentId: string): Promise<void> {
    const enrollment = await this.ownProgramEnrollment(em.fork(), actor, enrollmentId);
    await access.requireCareOf(enrollment.patient.id);
  }

  /**
   * An enrolment in the staff member's own program; another program's is answered like an unknown
   * id. In a transaction its row is locked, so concurrent changes of one enrolment (its end, its
   * care team) take turns and each sees the one before.
   */
  private async ownProgramEnrollment(em: EntityManager, actor: RequestUser, enrollmentId: string): Promise<Enrollment> {
    const lockMode = em.isInTransaction() ? LockMode.PESSIMISTIC_WRITE : undefined;
    const enrollment = isUuid(enrollmentId) && actor.organizationId ? await em.findOne(Enrollment, { id: enrollmentId, program: actor.organizationId }, { lockMode }) : null;
    if (!enrollment) throw new NotFoundError('Enrollment', enrollmentId);
    return enrollment;
  }

  private openEnrollment(em: EntityManager, patient: Patient, program: Organization): Enrollment {
    const enrollment = new Enrollment(patient, program);
    em.persist(enrollment);
    addToOutbox(em, 'notifications', 'patient.enrolled', { enrollmentId: enrollment.id });
    return enrollment;
  }

  private async assignIdentifier(em: EntityManager, patient: Patient, organization: Organization, value: string, system = ''): Promise<PatientIdentifier> {
    const taken = await em.count(PatientIdentifier, { organization, system, value });
    if (taken > 0) throw new ConflictError('This identifier is already assigned to another patient', { organizationId: organization.id });
    const identifier = new PatientIdentifier(patient, organization, value, system);
    em.persist(identifier);
    return identifier;
  }

  private async programOf(em: EntityManager, actor: RequestUser): Promise<Organization> {
    if (actor.role !== Role.IOP_CLINICIAN && actor.role !== Role.ADMIN) {
      throw new ForbiddenError('Only IOP staff can enrol patients');
    }
    const program = await findByIdOrFail(em, Organization, actor.organizationId ?? '', 'Organization');
    if (program.kind !== OrganizationKind.IOP) throw new ForbiddenError('Only an IOP enrols patients');
    return program;
  }
}
