import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { Consent, ConsentStatus } from '../src/modules/consent/consent.entity';
import { DataCategory, Purpose } from '../src/modules/consent/data-category';
import { Organization } from '../src/modules/organizations/organization.entity';
import { CareTeamMember } from '../src/modules/patients/care-team-member.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { User } from '../src/modules/users/user.entity';
import {
  AddCareTeamMemberDocument, AddPatientIdentifierDocument, EndEnrollmentDocument, EnrollPatientDocument, RegisterPatientDocument,
  RemoveCareTeamMemberDocument, RequestEnrollmentDocument,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { checksToken, startHarness, type GraphQLResponse, type Harness } from './helpers/harness';
import { addColleague, addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/** Program A is the world's IOP, program B the second; the world's first patient is in both. */
let h: Harness;
let world: World;
let second: SecondProgram;
const unknownId = '00000000-0000-4000-8000-0000000000aa';

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
});
afterAll(() => h.close());

const as = (claims: TokenClaims) => h.token(claims);
const programA = () => ({ admin: world.claims[Role.ADMIN], clinician: world.claims[Role.IOP_CLINICIAN] });
const programB = () => ({ admin: second.admin, clinician: second.clinician });

/** The refusal a response carries, with the id it was asked about left out. */
function refusal(response: GraphQLResponse<unknown>) {
  expect(response.data).toBeNull();
  const [{ message, extensions }] = response.errors!;
  const { patientId: _patientId, id: _id, ...rest } = extensions ?? {};
  return { message: message.replace(/[0-9a-f-]{36}|not-an-id/, '<id>'), extensions: rest };
}

/** Sends the operation and counts the SQL statements it took, leaving out the token's check (trusted tokens skip it). */
async function counted<T>(send: () => Promise<GraphQLResponse<T>>): Promise<{ response: GraphQLResponse<T>; statements: number }> {
  h.sqlStatements.length = 0;
  const response = await send();
  return { response, statements: h.sqlStatements.filter((statement) => !checksToken(statement)).length };
}

const enrollmentsOf = async (patientId: string) =>
  (await h.orm.em.fork().find(Enrollment, { patient: patientId }, { orderBy: { startedAt: 'asc' } })).map((each) => ({ id: each.id, program: each.program.id, status: each.status }));
const enrolledNotices = () => h.orm.em.fork().count(OutboxMessage, { jobName: 'patient.enrolled' });

async function enrollmentIn(patientId: string, programId: string): Promise<Enrollment> {
  return h.orm.em.fork().findOneOrFail(Enrollment, { patient: patientId, program: programId, status: EnrollmentStatus.ACTIVE });
}

/** A consent from program A naming `recipientId`, signed unless told otherwise (the API names only partners today). */
async function consentNaming(patientId: string, recipientId: string, { signed = true, startsAt = new Date() } = {}): Promise<Consent> {
  const em = h.orm.em.fork();
  const consent = new Consent(
    em.getReference(Patient, patientId),
    em.getReference(Organization, world.iopId),
    {
      recipientOrganizationIds: [recipientId],
      recipientUserIds: [],
      purpose: Purpose.TREATMENT,
      categories: [DataCategory.DEMOGRAPHICS],
      startsAt,
      expiresAt: new Date(startsAt.getTime() + 86_400_000),
      expiryEvent: null,
    },
    world.claims[Role.IOP_CLINICIAN].userId,
  );
  if (signed) consent.sign('Jordan Sample', true, world.claims[Role.PATIENT].userId);
  await em.persist(consent).flush();
  return consent;
}

describe('enrolling a patient (enrollPatient)', () => {
  it("refuses another program's patient exactly like an unknown id, with the same statements, and writes nothing", async () => {
    const elsewhere = world.patients[1].id;
    const before = { enrollments: await enrollmentsOf(elsewhere), notices: await enrolledNotices() };
    const token = await as(programB().admin);

    const known = await counted(() => h.graphql(EnrollPatientDocument, { patientId: elsewhere }, token));
    const unknown = await counted(() => h.graphql(EnrollPatientDocument, { patientId: unknownId }, token));
    const notAnId = await h.graphql(EnrollPatientDocument, { patientId: 'not-an-id' }, token);

    expect(known.response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refusal(known.response)).toEqual(refusal(unknown.response));
    expect(refusal(notAnId)).toEqual(refusal(unknown.response));
    expect(known.statements).toBe(unknown.statements);
    expect(await enrollmentsOf(elsewhere)).toEqual(before.enrollments);
    expect(await enrolledNotices()).toBe(before.notices);
  });

  it('re-enrols a patient each program registered, in that program only', async () => {
    for (const [own, other] of [[programA(), programB()], [programB(), programA()]]) {
      const registered = await h.graphql(
        RegisterPatientDocument,
        { input: { givenName: 'Rowan', familyName: 'Readmit', birthDate: '1991-09-09' } },
        await as(own.clinician),
      );
      const { patient, enrollment } = registered.data!.registerPatient;
      await h.graphql(EndEnrollmentDocument, { enrollmentId: enrollment.id, status: 'DISCHARGED' }, await as(own.clinician));

      const byOther = await h.graphql(EnrollPatientDocument, { patientId: patient.id }, await as(other.admin));
      expect(byOther.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await enrollmentsOf(patient.id)).toHaveLength(1);

      const byOwn = await h.graphql(EnrollPatientDocument, { patientId: patient.id }, await as(own.admin));
      expect(byOwn.data?.enrollPatient.enrollment.status).toBe('ACTIVE');
      expect((await enrollmentsOf(patient.id)).map(({ program, status }) => [program, status])).toEqual([
        [own.admin.organizationId, EnrollmentStatus.DISCHARGED],
        [own.admin.organizationId, EnrollmentStatus.ACTIVE],
      ]);
    }
  });

  it('enrols a patient a consent in force names the program in; not before it is signed or starts, nor once revoked', async () => {
    const patientId = world.patients[1].id;
    const token = await as(programB().admin);
    const enrol = () => h.graphql(EnrollPatientDocument, { patientId }, token);

    await consentNaming(patientId, world.claims[Role.PCP].organizationId!);
    await consentNaming(patientId, second.iopId, { startsAt: new Date(Date.now() + 3_600_000) });
    const unsigned = await consentNaming(patientId, second.iopId, { signed: false });
    expect(refusal(await enrol())).toEqual(refusal(await h.graphql(EnrollPatientDocument, { patientId: unknownId }, token)));
    expect(await enrollmentsOf(patientId)).toHaveLength(1);

    const em = h.orm.em.fork();
    const consent = await em.findOneOrFail(Consent, { id: unsigned.id }, { populate: ['events'] });
    consent.sign('Jordan Sample', true, world.claims[Role.PATIENT].userId);
    await em.flush();
    const enrolled = await enrol();
    expect(enrolled.data?.enrollPatient.enrollment.status).toBe('ACTIVE');
    const inB = await enrollmentIn(patientId, second.iopId);
    expect(inB.id).toBe(enrolled.data?.enrollPatient.enrollment.id);

    await h.graphql(EndEnrollmentDocument, { enrollmentId: inB.id, status: 'DISCHARGED' }, token);
    consent.revoke(world.claims[Role.PATIENT].userId);
    await em.flush();
    expect((await enrol()).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await enrollmentsOf(patientId)).filter((each) => each.status === EnrollmentStatus.ACTIVE).map((each) => each.program)).toEqual([world.iopId]);
  });
});

describe("a patient's own request to be enrolled (requestEnrollment)", () => {
  let patientUser: TokenClaims;

  beforeAll(async () => {
    const em = h.orm.em.fork();
    const user = new User('second.patient@patients.example', 'Second Patient');
    user.patient = em.getReference(Patient, second.ownPatientId);
    await em.persist(user).flush();
    patientUser = { userId: user.id, role: Role.PATIENT, organizationId: null };
  });

  it("enrols the patient in the program they name, once, and refuses what is not a program alike", async () => {
    const token = await as(patientUser);
    const requested = await h.graphql(RequestEnrollmentDocument, { programId: world.iopId }, token);
    expect(requested.data?.requestEnrollment.enrollment.status).toBe('ACTIVE');
    expect((await enrollmentIn(second.ownPatientId, world.iopId)).id).toBe(requested.data?.requestEnrollment.enrollment.id);

    const before = { enrollments: await enrollmentsOf(second.ownPatientId), notices: await enrolledNotices() };
    const twice = await h.graphql(RequestEnrollmentDocument, { programId: world.iopId }, token);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
    const practice = await h.graphql(RequestEnrollmentDocument, { programId: world.claims[Role.PCP].organizationId! }, token);
    const unknown = await h.graphql(RequestEnrollmentDocument, { programId: unknownId }, token);
    expect(practice.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(refusal(practice)).toEqual(refusal(unknown));
    expect(await enrollmentsOf(second.ownPatientId)).toEqual(before.enrollments);
    expect(await enrolledNotices()).toBe(before.notices);
  });

  it('is for patients only', async () => {
    const inB = () => h.orm.em.fork().count(Enrollment, { program: second.iopId });
    const before = await inB();
    const byStaff = await h.graphql(RequestEnrollmentDocument, { programId: second.iopId }, await as(programA().admin));
    expect(byStaff.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await inB()).toBe(before);
  });
});

describe("recording a patient's identifiers (addPatientIdentifier)", () => {
  const shared = () => world.patients[0].id;
  const identifiers = async () =>
    (await h.orm.em.fork().find(PatientIdentifier, { patient: shared() }, { orderBy: { value: 'asc' } })).map((each) => `${each.organization.id}|${each.value}`);

  it("refuses an identifier another program assigned, before looking at its numbers, and writes nothing", async () => {
    const before = await identifiers();
    const token = await as(programB().clinician);
    for (const value of ['A-0001', 'IOP-1002']) {
      const added = await h.graphql(AddPatientIdentifierDocument, { input: { patientId: shared(), organizationId: world.iopId, value } }, token);
      expect(added.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', organizationId: world.iopId });
    }
    const byA = await h.graphql(
      AddPatientIdentifierDocument,
      { input: { patientId: shared(), organizationId: second.iopId, value: 'B-0001' } },
      await as(programA().clinician),
    );
    expect(byA.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await identifiers()).toEqual(before);
  });

  it("records each program's own identifiers and its partners'", async () => {
    const practice = world.claims[Role.PCP].organizationId!;
    const cases: [TokenClaims, string, string][] = [
      [programB().clinician, second.iopId, 'B-0002'],
      [programA().clinician, world.iopId, 'A-0002'],
      [programB().clinician, practice, 'MAPLE-B'],
      [programA().clinician, practice, 'MAPLE-A'],
    ];
    for (const [claims, organizationId, value] of cases) {
      const added = await h.graphql(AddPatientIdentifierDocument, { input: { patientId: shared(), organizationId, value } }, await as(claims));
      expect(added.data?.addPatientIdentifier.identifier).toMatchObject({ value, organization: { id: organizationId } });
    }
  });
});

describe("ending an enrolment and changing its care team (another program's answered like an unknown id)", () => {
  const shared = () => world.patients[0].id;
  let endOfTreatmentConsent: string;

  beforeAll(async () => {
    endOfTreatmentConsent = await requestConsent(h, world, { expiresAt: null, expiryEvent: 'END_OF_TREATMENT' });
    await signConsent(h, world, endOfTreatmentConsent);
  });

  const consentStatus = async () => (await h.orm.em.fork().findOneOrFail(Consent, { id: endOfTreatmentConsent })).status;

  it("refuses program B's staff program A's enrolment of a shared patient, changing neither it nor A's consents", async () => {
    const inA = await enrollmentIn(shared(), world.iopId);
    const expiredNotices = await h.orm.em.fork().count(OutboxMessage, { jobName: 'consent.expired' });
    for (const claims of [programB().clinician, programB().admin]) {
      const token = await as(claims);
      const ended = await h.graphql(EndEnrollmentDocument, { enrollmentId: inA.id, status: 'WITHDRAWN' }, token);
      const unknown = await h.graphql(EndEnrollmentDocument, { enrollmentId: unknownId, status: 'WITHDRAWN' }, token);
      expect(ended.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(refusal(ended)).toEqual(refusal(unknown));
    }
    expect((await enrollmentIn(shared(), world.iopId)).endedAt).toBeNull();
    expect(await consentStatus()).toBe(ConsentStatus.ACTIVE);
    expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'consent.expired' })).toBe(expiredNotices);
  });

  it("refuses program B's clinician changes to program A's care team", async () => {
    const inA = await enrollmentIn(shared(), world.iopId);
    const colleague = await addColleague(h.orm.em.fork(), programA().clinician);
    const careTeam = async () =>
      (await h.orm.em.fork().find(CareTeamMember, { enrollment: inA.id }, { orderBy: { id: 'asc' } })).map((each) => ({ user: each.user.id, removedAt: each.removedAt }));
    const before = await careTeam();
    const token = await as(programB().clinician);

    const removed = await h.graphql(RemoveCareTeamMemberDocument, { enrollmentId: inA.id, userId: programA().clinician.userId }, token);
    const added = await h.graphql(AddCareTeamMemberDocument, { enrollmentId: inA.id, userId: colleague.userId, teamRole: 'NURSE' }, token);
    for (const refused of [removed, added]) expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await careTeam()).toEqual(before);
  });

  it("lets each program end its own enrolment: B's leaves A's consents, A's ends them", async () => {
    const inB = await enrollmentIn(shared(), second.iopId);
    const byB = await h.graphql(EndEnrollmentDocument, { enrollmentId: inB.id, status: 'DISCHARGED' }, await as(programB().clinician));
    expect(byB.data?.endEnrollment.enrollment.status).toBe('DISCHARGED');
    expect(await consentStatus()).toBe(ConsentStatus.ACTIVE);

    const inA = await enrollmentIn(shared(), world.iopId);
    const byA = await h.graphql(EndEnrollmentDocument, { enrollmentId: inA.id, status: 'DISCHARGED' }, await as(programA().admin));
    expect(byA.data?.endEnrollment.enrollment.status).toBe('DISCHARGED');
    expect(await consentStatus()).toBe(ConsentStatus.EXPIRED);
  });
});
