import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { Membership } from '../src/modules/users/membership.entity';
import {
  AddMembershipDocument, CreateUserDocument, EndEnrollmentDocument, EnrollPatientDocument, PatientDocument, PatientsDocument,
  PatientWithCareDocument, SetMembershipActiveDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
});
afterAll(() => h.close());

describe('each IOP sees its own patients only', () => {
  it('refuses another IOP\'s clinician and admin, and leaves that IOP\'s patients out of their lists', async () => {
    const otherClinician = await h.token(second.clinician);
    const otherAdmin = await h.token(second.admin);
    for (const token of [otherClinician, otherAdmin]) {
      const read = await h.graphql(PatientDocument, { id: world.patients[1].id }, token);
      expect(read.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const list = await h.graphql(PatientsDocument, {}, token);
      expect(list.data?.patients.edges.map((edge) => edge.node.id).sort()).toEqual([second.ownPatientId, second.sharedPatientId].sort());
    }
    const firstAdmin = await h.graphql(PatientsDocument, {}, await h.token(world.claims[Role.ADMIN]));
    expect(firstAdmin.data?.patients.totalCount).toBe(3);
    expect((await h.graphql(PatientDocument, { id: second.ownPatientId }, await h.token(world.claims[Role.ADMIN]))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shows a clinician only their own program\'s enrolment of a patient both programs treat; the patient sees both', async () => {
    const firstView = await h.graphql(PatientWithCareDocument, { id: second.sharedPatientId }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(firstView.data?.patient.enrollments?.map((enrollment) => enrollment.program.id)).toEqual([world.iopId]);
    const secondView = await h.graphql(PatientWithCareDocument, { id: second.sharedPatientId }, await h.token(second.clinician));
    expect(secondView.data?.patient.enrollments?.map((enrollment) => enrollment.program.id)).toEqual([second.iopId]);
    const own = await h.graphql(PatientWithCareDocument, { id: second.sharedPatientId }, await h.token(world.claims[Role.PATIENT]));
    expect(own.data?.patient.enrollments?.map((enrollment) => enrollment.program.id).sort()).toEqual([world.iopId, second.iopId].sort());
  });

  it('refuses changes to another program\'s enrolment as if it did not exist', async () => {
    const enrollment = await h.orm.em.fork().findOneOrFail(Enrollment, { patient: second.ownPatientId });
    const result = await h.graphql(EndEnrollmentDocument, { enrollmentId: enrollment.id, status: 'DISCHARGED' }, await h.token(world.claims[Role.ADMIN]));
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await h.orm.em.fork().findOneOrFail(Enrollment, { id: enrollment.id })).status).toBe('ACTIVE');
  });

  it('lets an admin manage their own IOP\'s staff only, not another IOP\'s nor a partner\'s', async () => {
    const otherAdmin = await h.token(second.admin);
    const intoFirstIop = await h.graphql(
      AddMembershipDocument,
      { userId: second.admin.userId, input: { organizationId: world.iopId, role: 'ADMIN' } },
      otherAdmin,
    );
    expect(intoFirstIop.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const firstClinicianMembership = await h.orm.em.fork().findOneOrFail(Membership, { user: world.claims[Role.IOP_CLINICIAN].userId });
    const suspend = await h.graphql(SetMembershipActiveDocument, { membershipId: firstClinicianMembership.id, active: false }, otherAdmin);
    expect(suspend.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await h.orm.em.fork().findOneOrFail(Membership, { id: firstClinicianMembership.id })).active).toBe(true);

    const ownClinician = await h.graphql(
      CreateUserDocument,
      { input: { email: 'new-clinician@second-iop.example', displayName: 'New Clinician', membership: { organizationId: second.iopId, role: 'IOP_CLINICIAN' } } },
      otherAdmin,
    );
    expect(ownClinician.errors).toBeUndefined();
    const labUser = await h.graphql(
      CreateUserDocument,
      { input: { email: 'second-lab@example.org', displayName: 'Lab Onboarded', membership: { organizationId: world.claims[Role.LAB].organizationId!, role: 'LAB' } } },
      otherAdmin,
    );
    expect(labUser.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses creating a login for a patient the admin may not see', async () => {
    const result = await h.graphql(
      CreateUserDocument,
      { input: { email: 'not-mine@example.org', displayName: 'Not Mine', patientId: world.patients[2].id } },
      await h.token(second.admin),
    );
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('ids, names and races that must not become internal errors', () => {
  it('answers FORBIDDEN for a patient id that is not an id, for a clinician and an admin alike', async () => {
    for (const claims of [world.claims[Role.IOP_CLINICIAN], world.claims[Role.ADMIN]]) {
      const response = await h.graphql(PatientDocument, { id: 'abc' }, await h.token(claims));
      expect(response.status).toBe(200);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('audits nothing for a patient that does not exist', async () => {
    const before = await h.orm.em.fork().count(AuditEvent, {});
    const response = await h.graphql(PatientDocument, { id: '00000000-0000-4000-8000-0000000000ff' }, await h.token(world.claims[Role.ADMIN]));
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await h.orm.em.fork().count(AuditEvent, {})).toBe(before);
  });

  it('audits an operation with a very long name', async () => {
    const name = `Q${'x'.repeat(300)}`;
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token(world.claims[Role.IOP_CLINICIAN])}`, 'x-request-id': 'long-name' },
      payload: { query: `query ${name}($id: ID!) { patient(id: $id) { id } }`, variables: { id: world.patients[0].id } },
    });
    expect(response.statusCode).toBe(200);
    const [row] = await h.orm.em.fork().find(AuditEvent, { requestId: 'long-name' });
    expect(row.operation).toBe(`query ${name}`.slice(0, 200));
  });

  it('lets only one of two simultaneous enrolments of the same patient succeed', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const enrollment = await h.orm.em.fork().findOneOrFail(Enrollment, { patient: world.patients[2].id, program: world.iopId });
    await h.graphql(EndEnrollmentDocument, { enrollmentId: enrollment.id, status: 'DISCHARGED' }, admin);
    const results = await Promise.all(Array.from({ length: 4 }, () => h.graphql(EnrollPatientDocument, { patientId: world.patients[2].id }, admin)));
    expect(results.filter((result) => result.data?.enrollPatient).length).toBe(1);
    expect(results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT').length).toBe(3);
    expect(await h.orm.em.fork().count(Enrollment, { patient: world.patients[2].id, program: world.iopId, status: EnrollmentStatus.ACTIVE })).toBe(1);
  });
});
