import type { Bundle } from '@medplum/fhirtypes';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../src/auth/roles';
import { Allergy } from '../src/modules/clinical/allergy.entity';
import { CarePlan, CarePlanType } from '../src/modules/clinical/care-plan.entity';
import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { CriticalAlert, CriticalAlertStatus } from '../src/modules/labs/critical-alert.entity';
import { LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { requestConsent, signConsent } from './helpers/consents';
import { checksToken, startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Reads of a patient two programs treat: what each program's staff, a partner and the patient are
 * shown, told and audited. Records labs, practices and pharmacies send are no program's Part 2
 * records; a program's own Part 2 records stay with it.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let shared: string;
let firstClinician: string;
let secondClinician: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  shared = second.sharedPatientId;
  firstClinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  secondClinician = await h.token(second.clinician);
});
afterAll(() => h.close());

/** Provenance of a record `organizationId` sent or recorded. */
function from(em: EntityManager, organizationId: string): ProvenanceInit {
  return { sourceOrganization: em.getReference(Organization, organizationId), sourceSystem: `urn:example:${organizationId.slice(0, 8)}` };
}

async function persist(build: (em: EntityManager, patient: Patient) => object[]): Promise<void> {
  const em = h.orm.em.fork();
  em.persist(build(em, em.getReference(Patient, shared)));
  await em.flush();
}

function read<T>(query: string, token: string, patientId = shared) {
  return h.graphql<{ patient: T }, { id: string }>(`query($id: ID!) { patient(id: $id) { id ${query} } }`, { id: patientId }, token);
}

/** What `request`, made by `userId`, answers, and the audit rows it writes. */
async function audited<R>(userId: string, request: () => Promise<R>): Promise<{ result: R; rows: AuditEvent[] }> {
  const before = await h.orm.em.fork().find(AuditEvent, { userId }, { orderBy: { id: 'desc' }, limit: 1 });
  const result = await request();
  const rows = await h.orm.em.fork().find(AuditEvent, { userId, ...(before[0] ? { id: { $gt: before[0].id } } : {}) }, { orderBy: { id: 'asc' } });
  return { result, rows };
}

describe('records labs and practices send', () => {
  it("reach every program's care team, SUD-labelled included; a program's own Part 2 records stay with it, reported without naming SUD", async () => {
    await persist((em, patient) => [
      new LabResult(patient, from(em, world.claims[Role.LAB].organizationId!), { testName: 'Urine drug screen, opiates', valueText: 'Negative', status: ResultStatus.FINAL }),
      new Diagnosis(patient, from(em, world.claims[Role.PCP].organizationId!), { icd10Code: 'F11.21', text: 'Opioid use disorder, in remission' }),
      new Diagnosis(patient, { ...from(em, second.iopId), recordedById: second.clinician.userId }, { icd10Code: 'F10.20', text: 'Alcohol use disorder' }),
    ]);
    const view = (token: string) => read<{ labResults: { testName: string }[]; diagnoses: { icd10Code: string }[] }>('labResults { testName } diagnoses { icd10Code }', token);
    const [first, secondView] = [await view(firstClinician), await view(secondClinician)];
    for (const each of [first, secondView]) {
      expect(each.data!.patient.labResults.map((result) => result.testName)).toContain('Urine drug screen, opiates');
      expect(each.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).toContain('F11.21');
    }
    expect(first.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).not.toContain('F10.20');
    expect(first.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId: shared, categories: ['DIAGNOSES'], withheld: 1 }]);
    expect(first.errors?.[0].message).not.toMatch(/SUD|Part 2|program/i);
    expect(secondView.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).toContain('F10.20');
  });

  it("a critical fentanyl result on a patient two programs treat: a prescriber of either program acknowledges it", async () => {
    const alerts: CriticalAlert[] = [];
    await persist((em, patient) => {
      const screens = [1, 2].map(() => new LabResult(patient, from(em, world.claims[Role.LAB].organizationId!), { testName: 'Fentanyl, urine', valueText: 'Positive', status: ResultStatus.FINAL }));
      alerts.push(...screens.map((screen) => new CriticalAlert(patient, screen, 'test', 'Fentanyl positive')));
      return [...screens, ...alerts];
    });
    const acknowledge = (alertId: string, token: string) =>
      h.graphql<{ acknowledgeCriticalAlert: { alert: { status: string } } }, { alertId: string }>(
        'mutation($alertId: ID!) { acknowledgeCriticalAlert(alertId: $alertId) { alert { status } } }',
        { alertId },
        token,
      );
    for (const [index, token] of [firstClinician, secondClinician].entries()) {
      const acknowledged = await acknowledge(alerts[index].id, token);
      expect(acknowledged.errors).toBeUndefined();
      expect(acknowledged.data!.acknowledgeCriticalAlert.alert.status).toBe(CriticalAlertStatus.ACKNOWLEDGED);
    }
    const listed = await read<{ criticalAlerts: { status: CriticalAlertStatus }[] }>('criticalAlerts { status }', secondClinician);
    expect(listed.data!.patient.criticalAlerts.filter((alert) => alert.status === CriticalAlertStatus.ACKNOWLEDGED)).toHaveLength(2);
  });
});

describe("a partner's own records", () => {
  it('are shown to it under any consent that lets it see the patient, in the view and the FHIR export; the rest of the category is left out', async () => {
    const practice = world.claims[Role.PCP].organizationId!;
    await persist((em, patient) => [
      new Allergy(patient, from(em, practice), { substance: 'Penicillin' }),
      new Allergy(patient, from(em, world.iopId), { substance: 'Sulfa drugs' }),
      new Allergy(patient, from(em, second.iopId), { substance: 'Latex' }),
    ]);
    await signConsent(h, world, await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'DIAGNOSES'] }));
    const pcp = await h.token(world.claims[Role.PCP]);

    const view = await read<{ allergies: { substance: string }[] }>('allergies { substance }', pcp);
    expect(view.data!.patient.allergies.map((allergy) => allergy.substance)).toEqual(['Penicillin']);
    expect(view.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId: shared, categories: ['MEDICATIONS'] }]);

    const exported = await read<{ fhirBundle: Bundle }>('fhirBundle', pcp);
    const allergies = exported.data!.patient.fhirBundle.entry!.map((entry) => entry.resource!).filter((resource) => resource.resourceType === 'AllergyIntolerance');
    expect(allergies).toHaveLength(1);
    expect(JSON.stringify(allergies)).toContain('Penicillin');
  });
});

describe('a refused category', () => {
  it('is null with CONSENT_REQUIRED at its path; the rest of the patient is answered, and only what was returned is audited', async () => {
    const pcpClaims = world.claims[Role.PCP];
    const pcp = await h.token(pcpClaims);
    await persist((em, patient) => [new Diagnosis(patient, from(em, world.iopId), { icd10Code: 'F41.1', text: 'Generalized anxiety disorder' })]);
    const { result: view, rows } = await audited(pcpClaims.userId, () =>
      read<{ diagnoses: unknown[] | null; labResults: unknown[] | null }>('givenName diagnoses { icd10Code } labResults { testName }', pcp),
    );
    expect(view.data!.patient.diagnoses!.length).toBeGreaterThan(0);
    expect(view.data!.patient.labResults).toBeNull();
    expect(view.errors).toContainEqual(expect.objectContaining({ path: ['patient', 'labResults'], extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED' }) }));
    const categories = rows.flatMap((row) => row.categories);
    expect(categories).toEqual(expect.arrayContaining(['DEMOGRAPHICS', 'DIAGNOSES']));
    expect(categories).not.toContain('LABS');
  });

  it('an answer nulled as a whole discloses nothing, even what an earlier field had read', async () => {
    // Mutations run in order: the first one's record is read and recorded before the second is refused.
    const diagnose = (alias: string, patientVariable: string) =>
      `${alias}: recordDiagnosis(input: { patientId: ${patientVariable}, icd10Code: "F41.1", text: "Generalized anxiety disorder" }) { diagnosis { id } }`;
    const { result, rows } = await audited(world.claims[Role.IOP_CLINICIAN].userId, () =>
      h.graphql<{ a: unknown; b: unknown }, { own: string; notOurs: string }>(
        `mutation($own: ID!, $notOurs: ID!) { ${diagnose('a', '$own')} ${diagnose('b', '$notOurs')} }`,
        { own: shared, notOurs: second.ownPatientId },
        firstClinician,
      ),
    );
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(rows).toEqual([]);
  });

  it('an empty list is not a disclosure', async () => {
    const { result, rows } = await audited(second.clinician.userId, () => read<{ sideEffects: unknown[] }>('sideEffects { effect } encounters { encounterType }', secondClinician, second.ownPatientId));
    expect(result.data!.patient.sideEffects).toEqual([]);
    expect(rows.flatMap((row) => row.categories)).toEqual(['DEMOGRAPHICS']);
  });
});

describe("another program's disclosures", () => {
  it("are counted for a program's staff, never shown; the patient sees every one", async () => {
    await read('diagnoses { icd10Code }', firstClinician);
    await read('diagnoses { icd10Code }', secondClinician);
    const disclosures = (token: string) =>
      h.graphql<{ disclosures: { items: { organizationId: string | null; categories: string[]; consentId: string | null }[]; otherProgramsCount: number } }, { id: string }>(
        'query($id: ID!) { disclosures(patientId: $id, first: 200) { items { organizationId categories consentId } otherProgramsCount } }',
        { id: shared },
        token,
      );
    const seenBySecond = (await disclosures(secondClinician)).data!.disclosures;
    expect(seenBySecond.items.length).toBeGreaterThan(0);
    expect(seenBySecond.items.filter((item) => item.organizationId === world.iopId || item.organizationId === world.claims[Role.PCP].organizationId)).toEqual([]);
    expect(seenBySecond.otherProgramsCount).toBeGreaterThan(0);
    const seenByFirst = (await disclosures(firstClinician)).data!.disclosures;
    expect(seenByFirst.items.filter((item) => item.organizationId === second.iopId)).toEqual([]);

    const mine = await h.graphql<{ myDisclosures: { items: { organizationId: string | null }[]; otherProgramsCount: number } }, object>(
      '{ myDisclosures(first: 200) { items { organizationId } otherProgramsCount } }',
      {},
      await h.token(world.claims[Role.PATIENT]),
    );
    const organizations = new Set(mine.data!.myDisclosures.items.map((item) => item.organizationId));
    expect(organizations.has(world.iopId) && organizations.has(second.iopId)).toBe(true);
    expect(mine.data!.myDisclosures.otherProgramsCount).toBe(0);
  });
});

describe('versions', () => {
  it('withheld counts hold current versions only', async () => {
    const em = h.orm.em.fork();
    const patient = em.getReference(Patient, second.ownPatientId);
    const lab = from(em, world.claims[Role.LAB].organizationId!);
    const preliminary = new LabResult(patient, lab, { testName: 'Urine drug screen, fentanyl', valueText: 'Pending', status: ResultStatus.PRELIMINARY });
    const final = new LabResult(patient, lab, { testName: 'Urine drug screen, fentanyl', valueText: 'Negative', status: ResultStatus.FINAL });
    // The first program's Part 2 result (say, its own point-of-care test), corrected once.
    const ownTest = new LabResult(patient, from(em, world.iopId), { testName: 'Urine drug screen, opiates', valueText: 'Positive', status: ResultStatus.PRELIMINARY });
    const ownCorrected = new LabResult(patient, from(em, world.iopId), { testName: 'Urine drug screen, opiates', valueText: 'Negative', status: ResultStatus.FINAL });
    await em.persist([preliminary, final, ownTest, ownCorrected]).flush();
    preliminary.supersede(final);
    ownTest.supersede(ownCorrected);
    await em.flush();

    const view = await read<{ labResults: { testName: string }[] }>('labResults(includeSuperseded: true) { testName valueText }', secondClinician, second.ownPatientId);
    expect(view.data!.patient.labResults).toHaveLength(2);
    expect(view.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId: second.ownPatientId, categories: ['LABS'], withheld: 1 }]);
  });

  it("when another program's current plan is withheld, no older version takes its place", async () => {
    await persist((em, patient) => [
      new CarePlan(patient, { ...from(em, world.iopId), receivedAt: new Date(Date.now() + 3_600_000) }, { planType: CarePlanType.TREATMENT, text: 'Weekly group' }),
      new CarePlan(patient, { ...from(em, world.iopId), receivedAt: new Date(Date.now() + 7_200_000) }, { planType: CarePlanType.TREATMENT, text: 'Add MOUD', addressesSud: true }),
    ]);
    const view = await read<{ treatmentPlan: { planText: string } | null }>('treatmentPlan { planText }', secondClinician);
    expect(view.data!.patient.treatmentPlan).toBeNull();
    expect(view.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId: shared, categories: ['TREATMENT_SUMMARY'], withheld: 1 }]);
    const own = await read<{ treatmentPlan: { planText: string } | null }>('treatmentPlan { planText }', firstClinician);
    expect(own.data!.patient.treatmentPlan?.planText).toBe('Add MOUD');
  });
});

describe("another program's patient", () => {
  it('is refused like an unknown id, in the same statements, to staff and admins of a program not treating them', async () => {
    const unknownId = '00000000-0000-4000-8000-0000000000ab';
    for (const claims of [world.claims[Role.IOP_CLINICIAN], world.claims[Role.ADMIN]]) {
      const token = await h.token(claims);
      const attempt = async (patientId: string) => {
        h.sqlStatements.length = 0;
        const response = await read<{ givenName: string }>('givenName', token, patientId);
        const [{ message, extensions }] = response.errors!;
        return {
          refusal: { message, code: extensions?.code },
          statements: h.sqlStatements.filter((statement) => !checksToken(statement)).map((statement) => statement.replace(/'[0-9a-f-]{36}'/g, "'<id>'").replace(/ \[took.*$/, '')),
        };
      };
      expect(await attempt(second.ownPatientId)).toEqual(await attempt(unknownId));
    }
  });
});
