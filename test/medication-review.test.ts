import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { Prescription } from '../src/modules/medications/prescription.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { MedicationReviewDocument, PrescribeDocument, ReconcileMedicationDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { addSecondProgram, seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let clinician: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
  const patientId = world.patients[0].id;
  const prescribe = (drugName: string, dose: string) =>
    h.graphql(PrescribeDocument, { input: { patientId, drugName, dose, route: 'oral', sig: 'daily' } }, clinician);
  await prescribe('Lisinopril 20 mg tablet', '20 mg');
  await prescribe('Lithium carbonate 300 mg capsule', '300 mg');
  await prescribe('Clonazepam 0.5 mg tablet', '0.5 mg');
  await prescribe('Buprenorphine 8 mg / naloxone 2 mg film', '8 mg/2 mg');
  // The practice lists lisinopril 10 mg, and ibuprofen, which the IOP does not know about.
  const bundle = readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8');
  const withIbuprofen = JSON.parse(bundle) as { entry: unknown[] };
  withIbuprofen.entry.push({
    resource: {
      resourceType: 'MedicationStatement',
      id: 'med-ibuprofen',
      status: 'active',
      medicationCodeableConcept: { text: 'Ibuprofen 400 mg tablet' },
      subject: { reference: 'Patient/maple-p-1001' },
      dosage: [{ text: 'as needed for pain' }],
    },
  });
  const workers = startTestWorkers(h);
  const { message } = await sendFhirBundle(h, await h.token(world.claims[Role.PCP]), JSON.stringify(withIbuprofen));
  await workers.stop();
  expect(message?.state).toBe('PROCESSED');
});
afterAll(() => h.close());

it('lists each drug once with its sources and flags where the sources disagree', async () => {
  const review = await h.graphql(MedicationReviewDocument, { id: world.patients[0].id }, clinician);
  expect(review.errors).toBeUndefined();
  const groups = Object.fromEntries(review.data!.patient.medicationList!.map((group) => [group.ingredient, group]));
  expect(groups.lisinopril.medications.map((medication) => medication.provenance.organization.kind).sort()).toEqual(['IOP', 'PRIMARY_CARE']);
  expect(groups.lisinopril.discrepancies).toEqual(['DOSE_DIFFERS']);
  expect(groups.ibuprofen.discrepancies).toEqual(['NOT_ON_IOP_LIST']);
  expect(groups.lithium.discrepancies).toEqual([]);
});

it('raises the interaction flags of the merged list, PCP medications included', async () => {
  const review = await h.graphql(MedicationReviewDocument, { id: world.patients[0].id }, clinician);
  const rules = review.data!.patient.interactionFlags!.map((flag) => flag.ruleId).sort();
  expect(rules).toEqual(['lithium-ace-inhibitor', 'lithium-nsaid', 'opioid-benzodiazepine']);
});

it('keeps each reconciliation decision with who and when; discontinuing stops the IOP\'s own prescription', async () => {
  const patientId = world.patients[0].id;
  const kept = await h.graphql(ReconcileMedicationDocument, { input: { patientId, ingredient: 'lisinopril', action: 'CHANGE', note: 'PCP dose is current; update ours to 10 mg' } }, clinician);
  expect(kept.data?.reconcileMedication.decision).toMatchObject({ action: 'CHANGE', decidedById: world.claims[Role.IOP_CLINICIAN].userId });
  await h.graphql(ReconcileMedicationDocument, { input: { patientId, ingredient: 'clonazepam', action: 'DISCONTINUE', note: 'Tapered off' } }, clinician);

  const stopped = await h.orm.em.fork().find(Prescription, { patient: patientId, drugName: { $like: 'Clonazepam%' } });
  expect(stopped.map((prescription) => prescription.prescriptionStatus)).toEqual(['STOPPED']);
  const review = await h.graphql(MedicationReviewDocument, { id: patientId }, clinician);
  const groups = Object.fromEntries(review.data!.patient.medicationList!.map((group) => [group.ingredient, group]));
  expect(groups.lisinopril.decisions).toEqual([expect.objectContaining({ action: 'CHANGE', note: 'PCP dose is current; update ours to 10 mg' })]);
  expect(review.data!.patient.interactionFlags!.map((flag) => flag.ruleId)).not.toContain('opioid-benzodiazepine');

  const outsider = await h.graphql(ReconcileMedicationDocument, { input: { patientId, ingredient: 'lithium', action: 'KEEP' } }, await h.token(world.claims[Role.PCP]));
  expect(outsider.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it("does not show another program's reconciliation decisions and notes", async () => {
  const second = await addSecondProgram(h.orm.em, world);
  const patientId = second.sharedPatientId;
  const secondClinician = await h.token(second.clinician);
  const decided = await h.graphql(ReconcileMedicationDocument, { input: { patientId, ingredient: 'lithium', action: 'KEEP', note: 'Reviewed in our SUD program' } }, secondClinician);
  expect(decided.errors).toBeUndefined();
  const first = await h.graphql(MedicationReviewDocument, { id: patientId }, clinician);
  const lithium = first.data!.patient.medicationList!.find((group) => group.ingredient === 'lithium')!;
  expect(lithium.decisions.map((decision) => decision.note)).not.toContain('Reviewed in our SUD program');
});
