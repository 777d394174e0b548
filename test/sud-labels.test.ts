import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxState } from '../src/modules/ingest/inbox-message.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { PatientViewDocument, RecordDiagnosisDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/* SUD counselling Z-codes and SUD programming encounters are labelled SUD on every path that writes them. */

let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

const icd10cm = 'http://hl7.org/fhir/sid/icd-10-cm';
const hcpcs = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

it("labels a program's Z71.41 diagnosis SUD, withholding it from the other program; Z79.891 is not SUD", async () => {
  const secondClinician = await h.token(second.clinician);
  const shared = second.sharedPatientId;
  const counselling = await h.graphql(RecordDiagnosisDocument, { input: { patientId: shared, icd10Code: 'Z71.41', text: 'Alcohol abuse counseling' } }, secondClinician);
  expect(counselling.data?.recordDiagnosis.diagnosis.categories).toEqual(['DIAGNOSES', 'SUD']);
  const opiates = await h.graphql(RecordDiagnosisDocument, { input: { patientId: shared, icd10Code: 'Z79.891', text: 'Long term use of opiate analgesic' } }, secondClinician);
  expect(opiates.data?.recordDiagnosis.diagnosis.categories).toEqual(['DIAGNOSES']);

  const firstView = await h.graphql(PatientViewDocument, { id: shared }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  const codes = firstView.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code);
  expect(codes).toContain('Z79.891');
  expect(codes).not.toContain('Z71.41');
  expect(firstView.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED', categories: ['DIAGNOSES'] }) })]);
});

it('labels imported SUD counselling diagnoses and SUD programming encounters SUD, and a check-up not', async () => {
  const encounter = (id: string, coded: Record<string, unknown>) => ({
    resource: { resourceType: 'Encounter', id, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: 'Patient/p' }, ...coded },
  });
  const bundle = {
    resourceType: 'Bundle',
    id: 'sud-labels-1',
    type: 'collection',
    entry: [
      {
        resource: {
          resourceType: 'Patient', id: 'p', name: [{ family: 'Demo', given: ['Avery'] }], birthDate: '1988-04-12', telecom: [{ system: 'phone', value: '(555) 010-1234' }],
        },
      },
      {
        resource: {
          resourceType: 'Condition', id: 'z7151', subject: { reference: 'Patient/p' }, code: { coding: [{ system: icd10cm, code: 'Z71.51' }], text: 'Drug abuse counseling' },
        },
      },
      encounter('iop', { type: [{ coding: [{ system: hcpcs, code: 'H0015', display: 'Alcohol and/or drug services; intensive outpatient' }] }] }),
      encounter('detox', { serviceType: { coding: [{ system: 'http://snomed.info/sct', code: '56876005' }] }, type: [{ text: 'Admission' }] }),
      encounter('for-aud', { type: [{ text: 'Office visit' }], reasonCode: [{ coding: [{ system: icd10cm, code: 'F10.20' }] }] }),
      encounter('check-up', { type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }], text: 'Check up' }] }),
    ],
  };
  const { message } = await sendFhirBundle(h, await h.token(world.claims[Role.PCP]), JSON.stringify(bundle));
  expect(message?.state).toBe(InboxState.PROCESSED);

  const records = await h.orm.em.fork().find(ClinicalRecord, { inboxMessageId: message!.id });
  const categories = Object.fromEntries(records.map((record) => [record.sourceRecordId, record.categories]));
  expect(categories).toEqual({
    'Condition/z7151': ['DIAGNOSES', 'SUD'],
    'Encounter/iop': ['TREATMENT_SUMMARY', 'SUD'],
    'Encounter/detox': ['TREATMENT_SUMMARY', 'SUD'],
    'Encounter/for-aud': ['TREATMENT_SUMMARY', 'SUD'],
    'Encounter/check-up': ['TREATMENT_SUMMARY'],
  });
});
