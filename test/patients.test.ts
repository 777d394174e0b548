import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import {
  AddCareTeamMemberDocument, AddPatientIdentifierDocument, EndEnrollmentDocument, EnrollPatientDocument, PatientDocument, PatientsDocument,
  PatientWithCareDocument, RegisterPatientDocument, RemoveCareTeamMemberDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let clinician: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
});
afterAll(() => h.close());

const newPatient = {
  givenName: 'Quinn',
  familyName: 'Testcase',
  birthDate: '1990-02-14',
  phone: '+1 555 0100',
  city: 'Springfield',
  mrn: 'IOP-9001',
};

describe('registering a patient', () => {
  it('creates the patient, enrols them in the clinician\'s IOP with the clinician on the care team, and queues the notification in the same transaction', async () => {
    const result = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, careTeamRole: 'THERAPIST' } }, clinician);
    expect(result.errors).toBeUndefined();
    const { patient, enrollment } = result.data!.registerPatient;
    expect(patient).toMatchObject({ givenName: 'Quinn', familyName: 'Testcase', birthDate: '1990-02-14' });
    expect(enrollment.status).toBe('ACTIVE');
    expect(enrollment.careTeam).toEqual([{ teamRole: 'THERAPIST', user: { id: world.claims[Role.IOP_CLINICIAN].userId } }]);

    const em = h.orm.em.fork();
    const stored = await em.findOneOrFail(Enrollment, { id: enrollment.id });
    expect(stored.program.id).toBe(world.iopId);
    const outbox = await em.find(OutboxMessage, { jobName: 'patient.enrolled' });
    expect(outbox.map((message) => message.payload)).toContainEqual({ enrollmentId: enrollment.id });
  });

  it('refuses invalid input with BAD_USER_INPUT naming the fields, and writes nothing', async () => {
    const before = await h.orm.em.fork().count(Patient, {});
    const result = await h.graphql(
      RegisterPatientDocument,
      { input: { givenName: '', familyName: 'X', birthDate: '1990-02-14', phone: 'call me' } },
      clinician,
    );
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const invalid = result.errors?.[0].extensions?.invalid as { field: string }[];
    expect(invalid.map((failure) => failure.field).sort()).toEqual(['givenName', 'phone']);
    expect(result.data).toBeNull();
    expect(await h.orm.em.fork().count(Patient, {})).toBe(before);
  });

  it.each(['yesterday', '1990-02-30'])('refuses the birth date %s with HTTP 400 before anything runs', async (birthDate) => {
    const before = await h.orm.em.fork().count(Patient, {});
    const result = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, birthDate } }, clinician);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('input.birthDate');
    expect(await h.orm.em.fork().count(Patient, {})).toBe(before);
  });

  it('refuses an MRN the IOP already gave another patient with CONFLICT, writing nothing', async () => {
    const before = await h.orm.em.fork().count(Patient, {});
    const result = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-1001' } }, clinician);
    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await h.orm.em.fork().count(Patient, {})).toBe(before);
  });

  it('is for IOP staff only', async () => {
    const result = await h.graphql(RegisterPatientDocument, { input: newPatient }, await h.token(world.claims[Role.PCP]));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('reading a patient (the policy point)', () => {
  it('shows the record to a clinician on the care team', async () => {
    const result = await h.graphql(PatientDocument, { id: world.patients[0].id }, clinician);
    expect(result.errors).toBeUndefined();
    expect(result.data?.patient).toMatchObject({ id: world.patients[0].id, givenName: world.patients[0].givenName });
    expect(result.data?.patient.identifiers[0].organization.id).toBe(world.iopId);
  });

  it('shows the patient their own record and no one else\'s', async () => {
    const patientToken = await h.token(world.claims[Role.PATIENT]);
    const own = await h.graphql(PatientDocument, { id: world.patients[0].id }, patientToken);
    expect(own.data?.patient.id).toBe(world.patients[0].id);
    const other = await h.graphql(PatientDocument, { id: world.patients[1].id }, patientToken);
    expect(other.data).toBeNull();
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it.each([Role.PCP, Role.PHARMACIST, Role.LAB, Role.LOCAL_PROVIDER])('refuses %s without a consent, with CONSENT_REQUIRED naming the category', async (role) => {
    const result = await h.graphql(PatientDocument, { id: world.patients[0].id }, await h.token(world.claims[role]));
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONSENT_REQUIRED', categories: ['DEMOGRAPHICS'] });
  });

  it('refuses a clinician who is not on the care team, without saying whether the patient exists', async () => {
    const em = h.orm.em.fork();
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9002' } }, clinician);
    const patientId = registered.data!.registerPatient.patient.id;
    const therapist = await h.token(world.therapist);
    const known = await h.graphql(PatientDocument, { id: patientId }, therapist);
    const unknown = await h.graphql(PatientDocument, { id: '00000000-0000-4000-8000-000000000000' }, therapist);
    expect(known.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(unknown.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await em.count(Patient, { id: patientId })).toBe(1);
  });

  it('lists only the patients the user may see, page by page', async () => {
    const therapist = await h.token(world.therapist);
    const first = await h.graphql(PatientsDocument, { first: 2 }, therapist);
    expect(first.data?.patients.totalCount).toBe(3);
    expect(first.data?.patients.edges).toHaveLength(2);
    expect(first.data?.patients.pageInfo.hasNextPage).toBe(true);
    const second = await h.graphql(PatientsDocument, { first: 2, after: first.data?.patients.pageInfo.endCursor }, therapist);
    expect(second.data?.patients.edges).toHaveLength(1);
    expect(second.data?.patients.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.data!.patients.edges, ...second.data!.patients.edges].map((edge) => edge.node.id).sort();
    expect(seen).toEqual(world.patients.map((patient) => patient.id).sort());
  });

  it('lists no patient to a partner without consents, and refuses a bad cursor', async () => {
    const pcp = await h.graphql(PatientsDocument, {}, await h.token(world.claims[Role.PCP]));
    expect(pcp.data?.patients).toMatchObject({ totalCount: 0, edges: [] });
    const badCursor = await h.graphql(PatientsDocument, { after: 'not-a-cursor' }, clinician);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await h.graphql(PatientsDocument, { first: 1000 }, clinician);
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('enrolment and care team', () => {
  it('moves an enrolment ACTIVE → DISCHARGED once; a second end is a CONFLICT that changes nothing', async () => {
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9003' } }, clinician);
    const enrollmentId = registered.data!.registerPatient.enrollment.id;
    const discharged = await h.graphql(EndEnrollmentDocument, { enrollmentId, status: 'DISCHARGED' }, clinician);
    expect(discharged.data?.endEnrollment.enrollment).toMatchObject({ status: 'DISCHARGED' });
    const endedAt = discharged.data?.endEnrollment.enrollment.endedAt;

    const admin = await h.token(world.claims[Role.ADMIN]);
    const again = await h.graphql(EndEnrollmentDocument, { enrollmentId, status: 'WITHDRAWN' }, admin);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', from: 'DISCHARGED', to: 'WITHDRAWN' });
    const stored = await h.orm.em.fork().findOneOrFail(Enrollment, { id: enrollmentId });
    expect(stored.status).toBe('DISCHARGED');
    expect(stored.endedAt?.toISOString()).toBe(endedAt);
  });

  it('ends the care team\'s access when the enrolment ends, and lets an admin re-enrol the patient once', async () => {
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9004' } }, clinician);
    const { patient, enrollment } = registered.data!.registerPatient;
    await h.graphql(EndEnrollmentDocument, { enrollmentId: enrollment.id, status: 'WITHDRAWN' }, clinician);
    const after = await h.graphql(PatientDocument, { id: patient.id }, clinician);
    expect(after.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const admin = await h.token(world.claims[Role.ADMIN]);
    const enrolled = await h.graphql(EnrollPatientDocument, { patientId: patient.id }, admin);
    expect(enrolled.data?.enrollPatient.enrollment.status).toBe('ACTIVE');
    const twice = await h.graphql(EnrollPatientDocument, { patientId: patient.id }, admin);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
    const view = await h.graphql(PatientWithCareDocument, { id: patient.id }, admin);
    expect(view.data?.patient.enrollments?.map((each) => each.status).sort()).toEqual(['ACTIVE', 'WITHDRAWN']);
  });

  it('adds and removes care team members, which grants and ends their access', async () => {
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9005' } }, clinician);
    const { patient, enrollment } = registered.data!.registerPatient;
    const therapist = await h.token(world.therapist);
    expect((await h.graphql(PatientDocument, { id: patient.id }, therapist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const added = await h.graphql(
      AddCareTeamMemberDocument,
      { enrollmentId: enrollment.id, userId: world.therapist.userId, teamRole: 'THERAPIST' },
      clinician,
    );
    expect(added.data?.addCareTeamMember.careTeamMember).toEqual({ teamRole: 'THERAPIST', removedAt: null });
    expect((await h.graphql(PatientDocument, { id: patient.id }, therapist)).data?.patient.id).toBe(patient.id);

    const removed = await h.graphql(RemoveCareTeamMemberDocument, { enrollmentId: enrollment.id, userId: world.therapist.userId }, clinician);
    expect(removed.data?.removeCareTeamMember.careTeamMember.removedAt).toEqual(expect.any(String));
    expect((await h.graphql(PatientDocument, { id: patient.id }, therapist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const history = await h.graphql(PatientWithCareDocument, { id: patient.id }, clinician);
    expect(history.data?.patient.enrollments?.[0].careTeam).toHaveLength(2);
  });

  it('refuses to put a non-clinician on a care team, and refuses changes by someone off the team', async () => {
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9006' } }, clinician);
    const { enrollment } = registered.data!.registerPatient;
    const pcpOnTeam = await h.graphql(
      AddCareTeamMemberDocument,
      { enrollmentId: enrollment.id, userId: world.claims[Role.PCP].userId, teamRole: 'NURSE' },
      clinician,
    );
    expect(pcpOnTeam.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const byOutsider = await h.graphql(
      AddCareTeamMemberDocument,
      { enrollmentId: enrollment.id, userId: world.therapist.userId, teamRole: 'THERAPIST' },
      await h.token(world.therapist),
    );
    expect(byOutsider.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await h.graphql(EndEnrollmentDocument, { enrollmentId: 'nope', status: 'DISCHARGED' }, clinician);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('identifiers per organization', () => {
  it('records the identifier the patient\'s primary-care practice uses, once, and refuses giving it to a second patient', async () => {
    const pcpPractice = world.claims[Role.PCP].organizationId!;
    const input = { patientId: world.patients[0].id, organizationId: pcpPractice, value: 'MAPLE-77' };
    const added = await h.graphql(AddPatientIdentifierDocument, { input }, clinician);
    expect(added.data?.addPatientIdentifier.identifier).toEqual({ value: 'MAPLE-77', organization: { id: pcpPractice, kind: 'PRIMARY_CARE' } });
    const again = await h.graphql(AddPatientIdentifierDocument, { input }, clinician);
    expect(again.errors).toBeUndefined();
    const view = await h.graphql(PatientDocument, { id: world.patients[0].id }, clinician);
    expect(view.data?.patient.identifiers.map((identifier) => identifier.value).sort()).toEqual(['IOP-1001', 'MAPLE-77']);

    const other = await h.graphql(AddPatientIdentifierDocument, { input: { ...input, patientId: world.patients[1].id } }, clinician);
    expect(other.errors?.[0].extensions?.code).toBe('CONFLICT');
    const byColleagueOnTeam = await h.graphql(AddPatientIdentifierDocument, { input: { ...input, value: 'MAPLE-78' } }, await h.token(world.therapist));
    expect(byColleagueOnTeam.data?.addPatientIdentifier.identifier.value).toBe('MAPLE-78');
  });

  it('refuses someone off the care team, and ids that are not ids', async () => {
    const registered = await h.graphql(RegisterPatientDocument, { input: { ...newPatient, mrn: 'IOP-9007' } }, clinician);
    const patientId = registered.data!.registerPatient.patient.id;
    const organizationId = world.claims[Role.PCP].organizationId!;
    const offTeam = await h.graphql(AddPatientIdentifierDocument, { input: { patientId, organizationId, value: 'X-1' } }, await h.token(world.therapist));
    expect(offTeam.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const notAnId = await h.graphql(AddPatientIdentifierDocument, { input: { patientId: 'p1', organizationId, value: 'X-1' } }, clinician);
    expect(notAnId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
