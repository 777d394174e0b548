import type { Bundle, Coding, Resource } from '@medplum/fhirtypes';
import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Allergy, AllergyCriticality } from '../src/modules/clinical/allergy.entity';
import { Encounter } from '../src/modules/clinical/encounter.entity';
import { part2RedisclosureNotice } from '../src/modules/consent/data-category';
import { redisclosureNoticeExtensionUrl } from '../src/modules/fhir-export/security-labels';
import { LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { fhirIssues } from '../src/modules/ingest/fhir/fhir-validation';
import { PatientFhirBundleDocument, UpdateCarePlanDocument } from './generated/graphql';
import { addClinicalRecords } from './helpers/clinical-data';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';
import { requestConsent, signConsent } from './helpers/consents';

let h: Harness;
let world: World;
let patientId: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  patientId = world.patients[0].id;
  const clinician = world.claims[Role.IOP_CLINICIAN];
  // Two of each IOP kind (one SUD diagnosis, one MOUD prescription), and records partners sent.
  await addClinicalRecords(h.orm.em, { patientId, programId: world.iopId, pharmacyId: world.claims[Role.PHARMACIST].organizationId!, clinicianId: clinician.userId }, 12);
  const em = h.orm.em.fork();
  const patient = em.getReference(Patient, patientId);
  const fromPractice = { sourceOrganization: em.getReference(Organization, world.claims[Role.PCP].organizationId!), sourceSystem: 'urn:example:pcp-ehr', sourceRecordId: 'enc-1' };
  const fromLab = { sourceOrganization: em.getReference(Organization, world.claims[Role.LAB].organizationId!), sourceSystem: 'urn:example:lab' };
  em.persist([
    new Allergy(patient, fromPractice, { substance: 'Penicillin', reaction: 'Hives', criticality: AllergyCriticality.HIGH }),
    new Encounter(patient, { ...fromPractice, sourceRecordId: 'enc-2' }, { encounterType: 'Office visit', status: 'finished', startedAt: new Date('2026-10-01T09:00:00Z') }),
    new LabResult(patient, fromLab, { loincCode: '14334-7', testName: 'Lithium', valueNumeric: 0.8, unit: 'mmol/L', referenceLow: 0.6, referenceHigh: 1.2, status: ResultStatus.FINAL, effectiveAt: new Date('2026-10-02T08:00:00Z') }),
    new LabResult(patient, fromLab, { testName: 'Buprenorphine urine drug screen', valueText: 'Positive', status: ResultStatus.FINAL, effectiveAt: new Date('2026-10-02T08:00:00Z') }),
  ]);
  await em.flush();
  // A newer treatment plan: only the current version of each plan is exported.
  await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Current plan: weekly group and MOUD' } }, await h.token(clinician));
});
afterAll(() => h.close());

async function exportAs(claims: World['claims'][Role]) {
  return h.graphql(PatientFhirBundleDocument, { id: patientId }, await h.token(claims));
}

const labels = (resource: Resource): string[] => (resource.meta?.security ?? []).map((coding: Coding) => coding.code!);
const isPart2 = (resource: Resource) => labels(resource).includes('42CFRPart2');
const names = (bundle: Bundle) =>
  bundle.entry!.map(({ resource }) => {
    const r = resource as Resource & { code?: { text?: string }; medicationCodeableConcept?: { text?: string }; title?: string; type?: { text?: string }[]; event?: { text?: string } };
    return `${r.resourceType}:${r.code?.text ?? r.medicationCodeableConcept?.text ?? r.title ?? r.type?.[0]?.text ?? r.event?.text ?? ''}`;
  });

async function consentFor(categories: ('DEMOGRAPHICS' | 'DIAGNOSES' | 'MEDICATIONS' | 'LABS' | 'TREATMENT_SUMMARY' | 'SUD')[]) {
  const consentId = await requestConsent(h, world, { categories });
  await signConsent(h, world, consentId);
  return consentId;
}

describe('the FHIR export', () => {
  it('gives the care team a valid R4 bundle of every kind of record, Part 2 records labelled and the bundle carrying the notice', async () => {
    const response = await exportAs(world.claims[Role.IOP_CLINICIAN]);
    expect(response.errors).toBeUndefined();
    const bundle = response.data!.patient.fhirBundle as Bundle;
    expect(fhirIssues(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(new Set(bundle.entry!.map((entry) => entry.resource!.resourceType))).toEqual(
      new Set(['Patient', 'Condition', 'MedicationRequest', 'AllergyIntolerance', 'AdverseEvent', 'Observation', 'Encounter', 'CarePlan']),
    );
    const part2 = names(bundle).filter((_name, index) => isPart2(bundle.entry![index].resource!));
    // The side effect is labelled because the prescription it is attributed to is MOUD.
    expect(part2.sort()).toEqual([
      'AdverseEvent:Effect 5', 'Condition:Diagnosis 0', 'MedicationRequest:Buprenorphine 8 mg / naloxone 2 mg film', 'Observation:Buprenorphine urine drug screen',
    ]);
    const labelled = bundle.entry!.find((entry) => isPart2(entry.resource!))!.resource!;
    expect(labels(labelled)).toEqual(['R', 'ETH', '42CFRPart2', 'NORDSCLCD']);
    expect(bundle.meta!.security!.map((coding) => coding.code)).toContain('42CFRPart2');
    expect(bundle.meta!.extension).toEqual([{ url: redisclosureNoticeExtensionUrl, valueString: part2RedisclosureNotice }]);
    expect(response.extensions?.redisclosureNotice).toBe(part2RedisclosureNotice);
    // The current plan of each kind, not the versions it replaced; the source's own ids kept.
    expect(names(bundle).filter((name) => name.startsWith('CarePlan')).sort()).toEqual(['CarePlan:Crisis and safety plan', 'CarePlan:Treatment plan']);
    const carePlan = bundle.entry!.find((entry) => entry.resource!.resourceType === 'CarePlan' && (entry.resource as { title?: string }).title === 'Treatment plan');
    expect((carePlan!.resource as { description?: string }).description).toBe('Current plan: weekly group and MOUD');
    expect(bundle.entry!.find((entry) => entry.resource!.resourceType === 'Encounter' && (entry.resource as { identifier?: unknown[] }).identifier)?.resource).toMatchObject({
      identifier: [{ system: 'urn:example:pcp-ehr', value: 'enc-2' }],
    });
  });

  it('is refused to a partner without a consent', async () => {
    const response = await exportAs(world.claims[Role.PCP]);
    expect(response.errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
    expect(response.data).toBeNull();
  });

  it('gives a partner only the categories their consent lists, and its own records, reports what it left out, and audits under the consent', async () => {
    const consentId = await consentFor(['DEMOGRAPHICS', 'DIAGNOSES', 'LABS']);
    const response = await exportAs(world.claims[Role.PCP]);
    const bundle = response.data!.patient.fhirBundle as Bundle;
    expect(fhirIssues(bundle)).toEqual([]);
    // The practice's own allergy and visit come back to it whatever the consent lists.
    expect(names(bundle).sort()).toEqual(['AllergyIntolerance:Penicillin', 'Condition:Diagnosis 6', 'Encounter:Office visit', 'Observation:Lithium', 'Patient:']);
    expect(bundle.entry!.some((entry) => isPart2(entry.resource!))).toBe(false);
    expect(bundle.meta).toEqual({ security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', display: 'normal' }] });
    expect(response.extensions?.redisclosureNotice).toBeUndefined();
    const withheld = (response.errors ?? []).map((error) => error.extensions);
    expect(withheld.every((extensions) => extensions?.code === 'CONSENT_REQUIRED')).toBe(true);
    // SUD items within listed categories are counted; a closed category is named, not sized.
    expect(withheld).toEqual(expect.arrayContaining([
      expect.objectContaining({ categories: ['SUD'], withheld: 2 }),
      { code: 'CONSENT_REQUIRED', patientId, categories: ['MEDICATIONS'] },
      { code: 'CONSENT_REQUIRED', patientId, categories: ['TREATMENT_SUMMARY'] },
    ]));
    expect(withheld).toHaveLength(3);
    const audited = await h.orm.em.fork().find(AuditEvent, { patientId, userId: world.claims[Role.PCP].userId }, { orderBy: { id: 'desc' }, limit: 1 });
    expect(audited[0]).toMatchObject({ consentId });
    expect(audited[0].categories).not.toContain('SUD');
  });

  it('carries Part 2 records, labelled, once the consent lists SUD', async () => {
    await consentFor(['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'LABS', 'TREATMENT_SUMMARY', 'SUD']);
    const response = await exportAs(world.claims[Role.PCP]);
    expect(response.errors).toBeUndefined();
    const bundle = response.data!.patient.fhirBundle as Bundle;
    expect(bundle.entry!.filter((entry) => isPart2(entry.resource!))).toHaveLength(4);
    expect(bundle.meta!.extension?.[0].valueString).toBe(part2RedisclosureNotice);
    expect(response.extensions?.redisclosureNotice).toBe(part2RedisclosureNotice);
  });
});
