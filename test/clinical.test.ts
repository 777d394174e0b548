import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import {
  PatientViewDocument, PrescribeDocument, RecordAssessmentDocument, RecordAttendanceDocument, RecordDiagnosisDocument,
  ReportSideEffectDocument, UpdateCarePlanDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let clinician: string;
let patientId: string;
let pharmacyId: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  patientId = world.patients[0].id;
  pharmacyId = world.claims[Role.PHARMACIST].organizationId!;
});
afterAll(() => h.close());

async function recordCount(): Promise<number> {
  return h.orm.em.fork().count(ClinicalRecord, {});
}

describe('IOP clinicians record clinical data, labelled by the one rule', () => {
  it('records diagnoses with provenance; an F11 diagnosis is labelled SUD, an F33 one is not', async () => {
    const depression = await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate' } }, clinician);
    expect(depression.data?.recordDiagnosis.diagnosis).toMatchObject({
      icd10Code: 'F33.1',
      diagnosisStatus: 'ACTIVE',
      categories: ['DIAGNOSES'],
      provenance: { system: 'carebridge', recordId: null, organization: { id: world.iopId, kind: 'IOP' } },
    });
    const opioid = await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'f11.20', text: 'Opioid use disorder, moderate' } }, clinician);
    expect(opioid.data?.recordDiagnosis.diagnosis).toMatchObject({ icd10Code: 'F11.20', categories: ['DIAGNOSES', 'SUD'] });
  });

  it('prescribes, marking MOUD and routing to a pharmacy with home delivery', async () => {
    const sertraline = await h.graphql(
      PrescribeDocument,
      { input: { patientId, drugName: 'Sertraline 50 mg tablet', dose: '50 mg', route: 'oral', sig: 'once daily', quantity: 30, refills: 2, pharmacyId } },
      clinician,
    );
    expect(sertraline.data?.prescribe.prescription).toMatchObject({ isMoud: false, categories: ['MEDICATIONS'], pharmacy: { id: pharmacyId } });
    const buprenorphine = await h.graphql(
      PrescribeDocument,
      {
        input: {
          patientId,
          drugName: 'Buprenorphine 8 mg / naloxone 2 mg sublingual film',
          ingredientRxcui: '1819',
          dose: '8 mg/2 mg',
          route: 'sublingual',
          sig: 'one film daily',
          quantity: 14,
          deaSchedule: 'III',
          pharmacyId,
          homeDelivery: true,
        },
      },
      clinician,
    );
    expect(buprenorphine.data?.prescribe.prescription).toMatchObject({
      isMoud: true,
      homeDelivery: true,
      categories: ['MEDICATIONS', 'SUD'],
      prescriber: { id: world.claims[Role.IOP_CLINICIAN].userId },
    });
  });

  it('refuses a prescription routed to an organization that is not a pharmacy, or home delivery with no pharmacy, writing nothing', async () => {
    const before = await recordCount();
    const base = { patientId, drugName: 'Lithium carbonate 300 mg', dose: '300 mg', route: 'oral', sig: 'twice daily' };
    const toLab = await h.graphql(PrescribeDocument, { input: { ...base, pharmacyId: world.claims[Role.LAB].organizationId! } }, clinician);
    expect(toLab.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pharmacyId' });
    const nowhere = await h.graphql(PrescribeDocument, { input: { ...base, homeDelivery: true } }, clinician);
    expect(nowhere.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'homeDelivery' });
    expect(await recordCount()).toBe(before);
  });

  it('records assessments within each instrument\'s range only', async () => {
    const phq9 = await h.graphql(RecordAssessmentDocument, { input: { patientId, instrument: 'PHQ9', score: 14, administeredAt: '2026-11-01T15:00:00Z' } }, clinician);
    expect(phq9.data?.recordAssessment.assessment).toMatchObject({ instrument: 'PHQ9', score: 14, categories: ['TREATMENT_SUMMARY'] });
    await h.graphql(RecordAssessmentDocument, { input: { patientId, instrument: 'PHQ9', score: 9, administeredAt: '2026-11-15T15:00:00Z' } }, clinician);
    const before = await recordCount();
    const outOfRange = await h.graphql(RecordAssessmentDocument, { input: { patientId, instrument: 'GAD7', score: 22, administeredAt: '2026-11-01T15:00:00Z' } }, clinician);
    expect(outOfRange.errors?.[0]).toMatchObject({ message: 'A GAD7 score is a whole number from 0 to 21', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await recordCount()).toBe(before);
  });

  it('labels attendance at SUD programming SUD', async () => {
    const group = await h.graphql(
      RecordAttendanceDocument,
      { input: { patientId, sessionType: 'GROUP', sessionAt: '2026-11-20T17:00:00Z', status: 'ATTENDED', sudProgram: true } },
      clinician,
    );
    expect(group.data?.recordAttendance.attendance).toMatchObject({ sudProgram: true, categories: ['TREATMENT_SUMMARY', 'SUD'] });
    const individual = await h.graphql(RecordAttendanceDocument, { input: { patientId, sessionType: 'INDIVIDUAL', sessionAt: '2026-11-21T17:00:00Z', status: 'ABSENT' } }, clinician);
    expect(individual.data?.recordAttendance.attendance.categories).toEqual(['TREATMENT_SUMMARY']);
  });

  it('keeps every version of a plan; the newest is the current one', async () => {
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Plan v1' } }, clinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Plan v2' } }, clinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'CRISIS', text: 'Call the on-call line; remove means' } }, clinician);
    const view = await h.graphql(PatientViewDocument, { id: patientId }, clinician);
    expect(view.data?.patient.treatmentPlan?.planText).toBe('Plan v2');
    expect(view.data?.patient.crisisPlan?.planText).toBe('Call the on-call line; remove means');
  });

  it('links a side effect to the patient\'s own prescription only; on MOUD it is labelled SUD', async () => {
    const view = await h.graphql(PatientViewDocument, { id: patientId }, clinician);
    const buprenorphine = view.data!.patient.medications!.find((medication) => medication.isMoud)!;
    const nausea = await h.graphql(
      ReportSideEffectDocument,
      { input: { patientId, prescriptionId: buprenorphine.id, effect: 'Nausea in the morning', severity: 'MILD', followUp: 'Take after breakfast' } },
      clinician,
    );
    expect(nausea.data?.reportSideEffect.sideEffect).toMatchObject({ prescriptionId: buprenorphine.id, categories: ['MEDICATIONS', 'SUD'] });
    const otherPatient = await h.graphql(
      ReportSideEffectDocument,
      { input: { patientId: world.patients[1].id, prescriptionId: buprenorphine.id, effect: 'Headache', severity: 'MILD' } },
      clinician,
    );
    expect(otherPatient.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prescriptionId' });
  });

  it('refuses clinicians off the care team and other roles, writing nothing', async () => {
    const before = await recordCount();
    const input = { patientId, icd10Code: 'F41.1', text: 'Generalized anxiety disorder' };
    const registered = await h.graphql(RecordDiagnosisDocument, { input }, await h.token(world.claims[Role.PCP]));
    expect(registered.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const admin = await h.graphql(RecordDiagnosisDocument, { input }, await h.token(world.claims[Role.ADMIN]));
    expect(admin.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badCode = await h.graphql(RecordDiagnosisDocument, { input: { ...input, icd10Code: 'depression' } }, clinician);
    expect(badCode.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await recordCount()).toBe(before);
  });
});

describe('the merged patient view', () => {
  it('returns every clinical item with its provenance, ordered, and audits each category it disclosed, SUD included', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clinician}`, 'x-request-id': 'merged-view' },
      payload: { query: PatientViewDocument.toString(), variables: { id: patientId } },
    });
    const { data, errors } = response.json();
    expect(errors).toBeUndefined();
    const patient = data.patient;
    expect(patient.diagnoses.map((diagnosis: { icd10Code: string }) => diagnosis.icd10Code)).toEqual(['F33.1', 'F11.20']);
    expect(patient.medications).toHaveLength(2);
    expect(patient.medications[0].provenance).toMatchObject({ system: 'carebridge', organization: { name: 'Harbor Virtual IOP' } });
    expect(patient.assessments.map((assessment: { score: number }) => assessment.score)).toEqual([14, 9]);
    expect(patient.attendance.map((session: { attendanceStatus: string }) => session.attendanceStatus)).toEqual(['ABSENT', 'ATTENDED']);
    expect(patient.sideEffects).toHaveLength(1);

    const [audit] = await h.orm.em.fork().find(AuditEvent, { requestId: 'merged-view' });
    // The patient has no lab results: an empty list discloses nothing, so LABS is not audited.
    expect(audit.categories).toEqual(['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD', 'TREATMENT_SUMMARY']);
  });

  it('is refused to roles without access', async () => {
    const pcp = await h.graphql(PatientViewDocument, { id: patientId }, await h.token(world.claims[Role.PCP]));
    expect(pcp.data).toBeNull();
    expect(pcp.errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
  });
});

describe("another program's Part 2 data", () => {
  it('is left out of a clinician\'s view with a CONSENT_REQUIRED error naming only the kind of record; its other data and the patient\'s own view are whole', async () => {
    const second = await addSecondProgram(h.orm.em, world);
    const secondClinician = await h.token(second.clinician);
    const shared = second.sharedPatientId;
    await h.graphql(RecordDiagnosisDocument, { input: { patientId: shared, icd10Code: 'F10.20', text: 'Alcohol use disorder, moderate' } }, secondClinician);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId: shared, icd10Code: 'F41.1', text: 'Generalized anxiety disorder' } }, secondClinician);

    const firstView = await h.graphql(PatientViewDocument, { id: shared }, clinician);
    const firstCodes = firstView.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code);
    expect(firstCodes).toContain('F41.1');
    expect(firstCodes).toContain('F11.20'); // the first program's own SUD diagnosis
    expect(firstCodes).not.toContain('F10.20');
    expect(firstView.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'CONSENT_REQUIRED', patientId: shared, categories: ['DIAGNOSES'], withheld: 1 } }),
    ]);

    const secondView = await h.graphql(PatientViewDocument, { id: shared }, secondClinician);
    expect(secondView.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).toEqual(expect.arrayContaining(['F10.20', 'F41.1']));
    expect(secondView.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).not.toContain('F11.20');
    const own = await h.graphql(PatientViewDocument, { id: shared }, await h.token(world.claims[Role.PATIENT]));
    expect(own.errors).toBeUndefined();
    expect(own.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).toEqual(expect.arrayContaining(['F10.20', 'F11.20', 'F41.1']));

    // A lab's drug screen is no program's Part 2 record: every program treating the patient sees it.
    const em = h.orm.em.fork();
    const fromLab = { sourceOrganization: em.getReference(Organization, world.claims[Role.LAB].organizationId!), sourceSystem: 'urn:example:lab' };
    const screen = (patient: string) => new LabResult(em.getReference(Patient, patient), fromLab, { testName: 'Urine drug screen, opiates', valueText: 'Negative', status: ResultStatus.FINAL });
    await em.persist([screen(shared), screen(second.ownPatientId)]).flush();
    const screens = async (patient: string, token: string) => {
      const view = await h.graphql<{ patient: { labResults: { testName: string }[] } }, { id: string }>('query($id: ID!) { patient(id: $id) { labResults { testName } } }', { id: patient }, token);
      return { shown: view.data!.patient.labResults.length, withheld: view.errors?.map((error) => error.extensions?.withheld) ?? [] };
    };
    expect(await screens(shared, clinician)).toEqual({ shown: 1, withheld: [] });
    expect(await screens(shared, secondClinician)).toEqual({ shown: 1, withheld: [] });
    expect(await screens(second.ownPatientId, secondClinician)).toEqual({ shown: 1, withheld: [] });
  });
});
