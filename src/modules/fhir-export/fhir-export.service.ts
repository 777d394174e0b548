import type { Bundle } from '@medplum/fhirtypes';
import { CarePlanType } from '../clinical/care-plan.entity';
import { ClinicalRecordKind } from '../clinical/clinical-record.entity';
import { currentPlan, disclosedRecordsIfAllowed, type RecordReading } from '../clinical/patient-records';
import { isRecordOf, recordKinds } from '../clinical/record-kinds';
import type { ClinicalRecordRow } from '../clinical/record-rows';
import { LabResult } from '../labs/lab-result.entity';
import type { PatientRow } from '../patients/patient-care';
import { type IdentifierReading, shownIdentifiers } from '../patients/shown-identifiers';
import { toFhirBundle } from './fhir-resources';

const currentPlans = (plans: ClinicalRecordRow[]) => [CarePlanType.TREATMENT, CarePlanType.CRISIS].map((type) => currentPlan(plans, type)).filter((plan) => plan !== null);
const currentResults = (results: ClinicalRecordRow[]) => results.filter((result) => !isRecordOf(result, LabResult) || result.isCurrent);

/** Which records of a kind the export holds: all, or (plans, lab results) the current versions only. */
const exportedOf: Partial<Record<ClinicalRecordKind, (records: ClinicalRecordRow[]) => ClinicalRecordRow[]>> = {
  [ClinicalRecordKind.CARE_PLAN]: currentPlans,
  [ClinicalRecordKind.LAB_RESULT]: currentResults,
};

/** What the reader may see of a patient as a FHIR R4 Bundle; categories closed to them are left out and reported. */
export async function fhirBundleFor(reading: RecordReading & IdentifierReading, patient: PatientRow): Promise<Bundle> {
  const records: ClinicalRecordRow[] = [];
  for (const [kind, { type }] of Object.entries(recordKinds) as [ClinicalRecordKind, (typeof recordKinds)[ClinicalRecordKind]][]) {
    records.push(...(await disclosedRecordsIfAllowed(reading, patient.id, type, exportedOf[kind])));
  }
  return toFhirBundle(patient, await shownIdentifiers(reading, patient.id), records);
}
