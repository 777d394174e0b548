import { Role } from '../src/auth/roles';
import { PatientViewDocument } from './generated/graphql';
import { addClinicalRecords } from './helpers/clinical-data';
import { checksToken, startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
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
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[0].id }, 10);
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[1].id }, 1000);

  const small = await viewStatements(world.patients[0].id);
  const large = await viewStatements(world.patients[1].id);
  const items = (view: typeof small) => {
    const patient = view.result.data!.patient;
    return patient.diagnoses!.length + patient.medications!.length + patient.assessments!.length + patient.attendance!.length + patient.sideEffects!.length;
  };
  expect(items(small)).toBeGreaterThanOrEqual(8);
  expect(items(large)).toBeGreaterThanOrEqual(800);
  // The policy's look-up, the patient with identifiers, enrolments and care teams (one joined
  // select), every clinical record with its source and pharmacy, the audit insert; and the
  // token's check unless the token is trusted already.
  expect(large.statements).toHaveLength(small.statements.length);
  expect(large.statements.length + 1).toBeLessThanOrEqual(5);
});
