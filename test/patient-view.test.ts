import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../src/modules/patients/care-team-member.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { User } from '../src/modules/users/user.entity';
import { PatientViewDocument } from './generated/graphql';
import { addClinicalRecords } from './helpers/clinical-data';
import { requestConsent, signConsent } from './helpers/consents';
import { checksToken, startHarness, type Harness } from './helpers/harness';
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

async function viewStatements(patientId: string) {
  const token = await h.token(world.claims[Role.IOP_CLINICIAN]);
  h.sqlStatements.length = 0;
  const result = await h.graphql(PatientViewDocument, { id: patientId }, token);
  expect(result.errors).toBeUndefined();
  return { result, statements: h.sqlStatements.filter((statement) => !checksToken(statement)) };
}

it('runs the full view in the same small number of SQL statements for 10 items or 1,000 (no N+1)', async () => {
  const ids = {
    programId: world.iopId,
    pharmacyId: world.claims[Role.PHARMACIST].organizationId!,
    clinicianId: world.claims[Role.IOP_CLINICIAN].userId,
  };
  // Patients only the first program treats (the second program treats the first patient).
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[2].id }, 10);
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[1].id }, 1000);

  const small = await viewStatements(world.patients[2].id);
  const large = await viewStatements(world.patients[1].id);
  const items = (view: typeof small) => {
    const patient = view.result.data!.patient;
    return patient.diagnoses!.length + patient.medications!.length + patient.assessments!.length + patient.attendance!.length + patient.sideEffects!.length;
  };
  expect(items(small)).toBeGreaterThanOrEqual(8);
  expect(items(large)).toBeGreaterThanOrEqual(800);
  // The patient with identifiers, enrolments and care teams (one statement the policy's look-up
  // shares), every clinical record with its source and pharmacy, the audit insert; and the
  // token's check unless the token is trusted already.
  expect(large.statements).toHaveLength(small.statements.length);
  expect(large.statements).toHaveLength(3);
  expect(large.statements.filter((statement) => /\bcare_team_member\b/.test(statement))).toHaveLength(1);
});

/** Every field the patient, identifier, enrolment, care team member and user types show. */
const careFields = `id givenName familyName birthDate birthDateAsGiven birthDatePrecision phone addressLine city region postalCode createdAt
  identifiers { id value system createdAt organization { id name kind createdAt } }
  enrollments { id status startedAt endedAt createdAt patientId program { id name kind createdAt }
    careTeam { id teamRole removedAt createdAt user { id email displayName active createdAt } } }`;

describe('the single patient (plain rows) answers as the list of patients (entities) does', () => {
  const shared = () => second.sharedPatientId;

  beforeAll(async () => {
    // Enough of everything to tell order and filtering apart: identifiers of a partner and of both
    // programs, a discharged enrolment before the current one, a member removed from the team.
    const em = h.orm.em.fork();
    const patient = em.getReference(Patient, shared());
    const organization = (id: string) => em.getReference(Organization, id);
    const discharged = new Enrollment(patient, organization(world.iopId), new Date('2025-01-02T03:04:05.678Z'));
    discharged.end(EnrollmentStatus.DISCHARGED, new Date('2025-03-04T05:06:07.891Z'));
    const removed = new CareTeamMember(discharged, em.getReference(User, world.therapist.userId), CareTeamRole.THERAPIST);
    removed.remove(new Date('2025-02-03T04:05:06.789Z'));
    em.persist([
      discharged,
      new CareTeamMember(discharged, em.getReference(User, world.claims[Role.IOP_CLINICIAN].userId), CareTeamRole.PRESCRIBER),
      removed,
      new PatientIdentifier(patient, organization(world.claims[Role.PCP].organizationId!), 'PCP-77', 'urn:example:pcp'),
      new PatientIdentifier(patient, organization(world.iopId), 'MRN-FIRST-9'),
      new PatientIdentifier(patient, organization(second.iopId), 'MRN-SECOND-4'),
    ]);
    await em.flush();
    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'TREATMENT_SUMMARY'] });
    await signConsent(h, world, consentId);
  });

  /** The audit rows an operation of `userId` wrote, as comparable facts. */
  async function auditedBy(userId: string, operation: string) {
    const rows = await h.orm.em.fork().find(AuditEvent, { userId, operation }, { orderBy: { id: 'asc' } });
    return rows.map(({ patientId, categories, purpose, consentId, breakGlassId, role, organizationId }) => ({ patientId, categories, purpose, consentId, breakGlassId, role, organizationId }));
  }

  const readers: [string, () => TokenClaims][] = [
    ['the care team of the first program', () => world.claims[Role.IOP_CLINICIAN]],
    ["the second program's care team", () => second.clinician],
    ['a practice under a consent listing the treatment summary', () => world.claims[Role.PCP]],
    ['the patient', () => world.claims[Role.PATIENT]],
  ];

  it.each(readers)('for %s: the same fields, the same notices, the same audit rows', async (label, claims) => {
    const token = await h.token(claims());
    const tag = label.replace(/\W+/g, '_');
    const single = await h.graphql<{ patient: Record<string, unknown> }, { id: string }>(
      `query Single_${tag}($id: ID!) { patient(id: $id) { ${careFields} } }`, { id: shared() }, token,
    );
    const listed = await h.graphql<{ patients: { edges: { node: Record<string, unknown> }[] } }, Record<string, never>>(
      `query Listed_${tag} { patients(first: 50) { edges { node { ${careFields} } } } }`, {}, token,
    );
    expect(single.errors).toEqual(listed.errors);
    const node = listed.data!.patients.edges.map((edge) => edge.node).find((each) => each.id === shared());
    expect(node).toBeDefined();
    expect(single.data!.patient).toEqual(node);
    // The fixture is exercised: enrolments and identifiers are there, and filtered for other programs.
    const enrollments = single.data!.patient.enrollments as { careTeam: unknown[] }[];
    expect(enrollments.length).toBeGreaterThan(0);
    expect(enrollments.every((enrollment) => enrollment.careTeam.length > 0)).toBe(true);
    const listedRows = (await auditedBy(claims().userId, `query Listed_${tag}`)).filter((row) => row.patientId === shared());
    expect(await auditedBy(claims().userId, `query Single_${tag}`)).toEqual(listedRows);
  });

  it('shows each program only its own enrolments and record numbers, and the patient all of theirs', async () => {
    const view = async (claims: TokenClaims) =>
      (await h.graphql<{ patient: { identifiers: { value: string }[]; enrollments: { program: { id: string }; careTeam: { removedAt: string | null }[] }[] } }, { id: string }>(
        `query($id: ID!) { patient(id: $id) { ${careFields} } }`, { id: shared() }, await h.token(claims),
      )).data!.patient;
    const [first, other, patient] = [await view(world.claims[Role.IOP_CLINICIAN]), await view(second.clinician), await view(world.claims[Role.PATIENT])];
    expect(first.enrollments.map((enrollment) => enrollment.program.id)).toEqual([world.iopId, world.iopId]);
    expect(first.enrollments[1].careTeam.some((member) => member.removedAt !== null)).toBe(true);
    expect(first.identifiers.map((identifier) => identifier.value)).toEqual(expect.arrayContaining(['PCP-77', 'MRN-FIRST-9']));
    expect(first.identifiers.map((identifier) => identifier.value)).not.toContain('MRN-SECOND-4');
    expect(other.enrollments.map((enrollment) => enrollment.program.id)).toEqual([second.iopId]);
    expect(other.identifiers.map((identifier) => identifier.value)).not.toContain('MRN-FIRST-9');
    expect(patient.enrollments).toHaveLength(3);
    expect(patient.identifiers.map((identifier) => identifier.value)).toEqual(expect.arrayContaining(['PCP-77', 'MRN-FIRST-9', 'MRN-SECOND-4']));
  });

  it('answers a burst of views of one patient alike, each audited, while its care team changes', async () => {
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const token = await h.token(clinician);
    const burst = () =>
      Promise.all(Array.from({ length: 12 }, () => h.graphql<{ patient: Record<string, unknown> }, { id: string }>(`query Burst($id: ID!) { patient(id: $id) { ${careFields} } }`, { id: shared() }, token)));
    const before = await auditedBy(clinician.userId, 'query Burst');
    const answers = await burst();
    expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect((await auditedBy(clinician.userId, 'query Burst')).length - before.length).toBe(12);
    // Taken off the current care team, the clinician no longer reads the patient (nothing is kept across requests).
    const em = h.orm.em.fork();
    const current = await em.findOneOrFail(Enrollment, { patient: shared(), program: world.iopId, status: EnrollmentStatus.ACTIVE });
    const members = await em.find(CareTeamMember, { enrollment: current, user: clinician.userId });
    members.forEach((member) => member.remove());
    await em.flush();
    try {
      const refused = await burst();
      expect(refused.every((answer) => answer.errors?.[0]?.extensions?.code === 'FORBIDDEN')).toBe(true);
    } finally {
      members.forEach((member) => member.restore(CareTeamRole.PRESCRIBER));
      await em.flush();
    }
  });
});
