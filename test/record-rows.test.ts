import { Utils } from '@mikro-orm/postgresql';
import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import { Allergy, AllergyCriticality } from '../src/modules/clinical/allergy.entity';
import { ClinicalRecord, ClinicalRecordKind } from '../src/modules/clinical/clinical-record.entity';
import { DatePrecision } from '../src/modules/clinical/date-precision';
import { Diagnosis, DiagnosisStatus } from '../src/modules/clinical/diagnosis.entity';
import { Encounter } from '../src/modules/clinical/encounter.entity';
import { readRecordRows } from '../src/modules/clinical/record-rows';
import { SideEffect, SideEffectSeverity } from '../src/modules/clinical/side-effect.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { LabOrder, LabOrderStatus } from '../src/modules/labs/lab-order.entity';
import { EffectiveTimeSource, LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { addClinicalRecords } from './helpers/clinical-data';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/** The patient view reads records as plain rows (issue 12): the same values the entities hold. */

let h: Harness;
let world: World;
let second: SecondProgram;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  for (const [patientId, programId] of [
    [second.sharedPatientId, world.iopId],
    [second.ownPatientId, second.iopId],
  ]) {
    await addClinicalRecords(
      h.orm.em,
      { patientId, programId, pharmacyId: world.claims[Role.PHARMACIST].organizationId!, clinicianId: world.claims[Role.IOP_CLINICIAN].userId },
      12,
    );
  }
  const em = h.orm.em.fork();
  const patient = em.getReference(Patient, second.sharedPatientId);
  const fromLab = { sourceOrganization: em.getReference(Organization, world.claims[Role.LAB].organizationId!), sourceSystem: 'urn:example:lab', sourceRecordId: 'R-1', inboxMessageId: crypto.randomUUID() };
  const fromPractice = { sourceOrganization: em.getReference(Organization, world.claims[Role.PCP].organizationId!), sourceSystem: 'urn:example:ehr' };
  const firstResult = new LabResult(patient, fromLab, {
    loincCode: '2345-7', testName: 'Glucose', valueNumeric: 5.25, unit: 'mmol/L', referenceLow: 3.9, referenceHigh: 6.1, abnormalFlag: 'N',
    status: ResultStatus.PRELIMINARY, effectiveAt: new Date('2026-03-01T08:15:30.123Z'), comment: 'Fasting',
  });
  const correction = new LabResult(patient, { ...fromLab, sourceRecordId: 'R-2' }, {
    loincCode: '2345-7', testName: 'Glucose', valueComparator: '<', valueBound: 2.5, valueText: '<2.5', status: ResultStatus.CORRECTED,
    effectiveAt: new Date('2026-03-01T08:15:30.123Z'), effectiveTimeSource: EffectiveTimeSource.COLLECTION_TIME,
  });
  firstResult.supersede(correction, new Date('2026-03-02T10:00:00.456Z'));
  const diagnosis = new Diagnosis(patient, fromPractice, { icd10Code: 'F41.1', text: 'Generalized anxiety disorder', onsetDate: '2019-06-01', status: DiagnosisStatus.RESOLVED });
  diagnosis.keepDateAsGiven('2019-06', DatePrecision.MONTH);
  em.persist([
    firstResult,
    correction,
    diagnosis,
    new LabOrder(patient, fromLab, { orderId: 'O-1', testName: 'Urine drug screen', loincCode: null, status: LabOrderStatus.IN_PROCESS, statusChangedAt: new Date('2026-03-03T09:00:00Z'), comment: null }),
    new Encounter(patient, fromPractice, { encounterType: 'Office visit', status: 'finished', startedAt: new Date('2026-02-01T14:00:00Z'), endedAt: new Date('2026-02-01T14:30:00Z') }),
    new Allergy(patient, fromPractice, { substance: 'Penicillin', substanceCode: '7980', reaction: 'Hives', criticality: AllergyCriticality.HIGH }),
    new SideEffect(patient, fromPractice, { effect: 'Dizziness', severity: SideEffectSeverity.MODERATE, onsetDate: '2026-02-02', followUp: 'Review dose' }),
  ]);
  await em.flush();
});
afterAll(() => h.close());

/** What a row shows of an entity's value: links by id, the source organization with its fields. */
function shownAs(value: unknown): unknown {
  if (!Utils.isEntity<Organization | ClinicalRecord>(value)) return value;
  return value instanceof Organization ? { id: value.id, name: value.name, kind: value.kind, createdAt: value.createdAt } : { id: value.id };
}

it("reads every kind's fields with the values the entities hold, and no other kind's, for each patient of the batch, oldest first", async () => {
  const patientIds = [second.sharedPatientId, second.ownPatientId];
  const { records: rows, organizations } = await readRecordRows(h.orm.em.fork(), patientIds);
  const em = h.orm.em.fork();
  const entities = await em.find(ClinicalRecord, { patient: { $in: patientIds } }, { orderBy: { receivedAt: 'asc', id: 'asc' } });
  await em.find(Organization, {}); // loads the sources and pharmacies the records link to

  expect(new Set(entities.map((entity) => entity.kind)).size).toBe(10);
  expect(rows.map((row) => [row.id, row.patientId])).toEqual(entities.map((entity) => [entity.id, entity.patient.id]));
  const writersOnly = new Set(['patient', 'recordedById', 'sourceContentHash', 'resultKey', 'reportedAt', 'analyzedAt']);
  rows.forEach((row, index) => {
    const entity = entities[index] as unknown as Record<string, unknown>;
    const expected = Object.fromEntries(Object.keys(entity).filter((key) => !writersOnly.has(key)).map((key) => [key, shownAs(entity[key])]));
    expect(row).toMatchObject({ ...expected, isCurrent: entity.supersededAt === null });
    // Only its own kind's fields: a row does not carry the other kinds' (null) columns.
    expect(Object.keys(row).sort()).toEqual([...Object.keys(expected), 'isCurrent', 'patientId'].sort());
  });
  // One object per organization, not one per record; the pharmacy is read with the prescriptions.
  const fromIop = rows.filter((row) => row.sourceOrganization.id === world.iopId);
  expect(fromIop.length).toBeGreaterThan(1);
  expect(new Set(fromIop.map((row) => row.sourceOrganization)).size).toBe(1);
  expect(organizations.map((each) => each.id).sort()).toEqual(
    [world.iopId, second.iopId, world.claims[Role.LAB].organizationId!, world.claims[Role.PCP].organizationId!, world.claims[Role.PHARMACIST].organizationId!].sort(),
  );
});

describe('the policy judges sources read as plain rows by their kind', () => {
  const request = (claims: TokenClaims) => {
    const em = h.orm.em.fork();
    const user = { id: claims.userId, role: claims.role, organizationId: claims.organizationId ?? null, patientId: null };
    return { em, policy: new AccessPolicy(em, user, new DisclosureLedger()) };
  };

  it("shows a lab's drug screen read as a row to each program treating the patient, and an unloaded source counts as a program", async () => {
    const { em, policy } = request(second.clinician);
    const [row] = (await readRecordRows(em, [second.sharedPatientId])).records.filter((record) => record.kind === ClinicalRecordKind.LAB_ORDER);
    expect(row.categories).toContain(DataCategory.SUD);
    expect(row.sourceOrganization.kind).toBe('LAB');
    expect(await policy.visibleRecords(second.sharedPatientId, DataCategory.LABS, [row])).toEqual([row]);

    const unloaded = { ...row, sourceOrganization: em.getReference(Organization, row.sourceOrganization.id) };
    const { policy: otherProgram } = request(world.claims[Role.IOP_CLINICIAN]);
    expect(await otherProgram.visibleRecords(second.sharedPatientId, DataCategory.LABS, [unloaded])).toEqual([]);
    expect(await otherProgram.visibleRecords(second.sharedPatientId, DataCategory.LABS, [row])).toEqual([row]);
  });
});
