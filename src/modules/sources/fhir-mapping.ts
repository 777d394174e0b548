import type {
  AllergyIntolerance, CodeableConcept, Coding, Condition, Encounter as FhirEncounter, MedicationRequest, MedicationStatement,
  Observation, OperationOutcomeIssue, Resource,
} from '@medplum/fhirtypes';
import { Allergy, AllergyCriticality } from '../clinical/allergy.entity';
import type { ClinicalRecord, ProvenanceInit } from '../clinical/clinical-record.entity';
import { Diagnosis, DiagnosisStatus } from '../clinical/diagnosis.entity';
import { Encounter } from '../clinical/encounter.entity';
import { LabResult, ResultStatus } from '../labs/lab-result.entity';
import { Prescription, PrescriptionStatus } from '../medications/prescription.entity';
import type { Patient } from '../patients/patient.entity';
import { issue } from './fhir-validation';

export const systems = {
  icd10cm: ['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10'],
  rxnorm: ['http://www.nlm.nih.gov/research/umls/rxnorm'],
  loinc: ['http://loinc.org'],
};

function coding(concept: CodeableConcept | undefined, accepted: string[]): Coding | undefined {
  return concept?.coding?.find((each) => each.system !== undefined && accepted.includes(each.system));
}

function label(concept: CodeableConcept | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.find((each) => each.display)?.display ?? concept?.coding?.[0]?.code;
}

const conditionStatus: Record<string, DiagnosisStatus> = {
  active: DiagnosisStatus.ACTIVE,
  recurrence: DiagnosisStatus.ACTIVE,
  relapse: DiagnosisStatus.ACTIVE,
  inactive: DiagnosisStatus.INACTIVE,
  remission: DiagnosisStatus.INACTIVE,
  resolved: DiagnosisStatus.RESOLVED,
};

const observationStatus: Partial<Record<Observation['status'], ResultStatus>> = {
  registered: ResultStatus.PRELIMINARY,
  preliminary: ResultStatus.PRELIMINARY,
  final: ResultStatus.FINAL,
  amended: ResultStatus.CORRECTED,
  corrected: ResultStatus.CORRECTED,
  cancelled: ResultStatus.CANCELLED,
  'entered-in-error': ResultStatus.CANCELLED,
};

const stoppedStatuses = new Set(['stopped', 'completed', 'cancelled', 'entered-in-error', 'not-taken']);

/** The resource types the hub turns into records; others are kept raw and reported as warnings. */
export const mappedTypes = new Set(['Condition', 'MedicationStatement', 'MedicationRequest', 'AllergyIntolerance', 'Observation', 'Encounter']);

/** A FHIR resource as a clinical record of `patient`, or the warning that says why it is not one. */
export function toRecord(resource: Resource, patient: Patient, provenance: ProvenanceInit, where: string): ClinicalRecord | OperationOutcomeIssue {
  switch (resource.resourceType) {
    case 'Condition':
      return condition(resource, patient, provenance, where);
    case 'MedicationStatement':
    case 'MedicationRequest':
      return medication(resource, patient, provenance, where);
    case 'AllergyIntolerance':
      return allergy(resource, patient, provenance, where);
    case 'Observation':
      return observation(resource, patient, provenance, where);
    case 'Encounter':
      return encounter(resource, patient, provenance);
    default:
      return issue('warning', 'not-supported', `${resource.resourceType} is not imported; it is kept with the raw message`, where);
  }
}

function condition(resource: Condition, patient: Patient, provenance: ProvenanceInit, where: string) {
  const icd = coding(resource.code, systems.icd10cm);
  if (!icd?.code) return issue('warning', 'not-supported', 'Condition without an ICD-10-CM code is not imported', where);
  return new Diagnosis(patient, provenance, {
    icd10Code: icd.code,
    text: resource.code?.text ?? icd.display ?? icd.code,
    onsetDate: resource.onsetDateTime?.slice(0, 10) ?? null,
    status: conditionStatus[resource.clinicalStatus?.coding?.[0]?.code ?? 'active'] ?? DiagnosisStatus.ACTIVE,
  });
}

function medication(resource: MedicationStatement | MedicationRequest, patient: Patient, provenance: ProvenanceInit, where: string) {
  const concept = resource.medicationCodeableConcept;
  const drugName = label(concept);
  if (!drugName) return issue('warning', 'not-supported', `${resource.resourceType} without a medication name is not imported`, where);
  const dosage = resource.resourceType === 'MedicationStatement' ? resource.dosage?.[0] : resource.dosageInstruction?.[0];
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  const prescription = new Prescription(patient, provenance, {
    drugName,
    rxnormCode: coding(concept, systems.rxnorm)?.code ?? null,
    dose: dose?.value !== undefined ? `${dose.value} ${dose.unit ?? ''}`.trim() : 'not stated',
    route: label(dosage?.route) ?? 'not stated',
    sig: dosage?.text ?? 'not stated',
  });
  if (stoppedStatuses.has(resource.status ?? '')) prescription.prescriptionStatus = PrescriptionStatus.STOPPED;
  return prescription;
}

function allergy(resource: AllergyIntolerance, patient: Patient, provenance: ProvenanceInit, where: string) {
  const substance = label(resource.code);
  if (!substance) return issue('warning', 'not-supported', 'AllergyIntolerance without a substance is not imported', where);
  const criticality = { low: AllergyCriticality.LOW, high: AllergyCriticality.HIGH, 'unable-to-assess': AllergyCriticality.UNABLE_TO_ASSESS };
  return new Allergy(patient, provenance, {
    substance,
    substanceCode: resource.code?.coding?.[0]?.code ?? null,
    reaction: label(resource.reaction?.[0]?.manifestation?.[0]) ?? null,
    criticality: resource.criticality ? criticality[resource.criticality] : null,
  });
}

function observation(resource: Observation, patient: Patient, provenance: ProvenanceInit, where: string) {
  const testName = label(resource.code);
  const status = observationStatus[resource.status];
  if (!testName || !status) return issue('warning', 'not-supported', 'Observation without a name or a known status is not imported', where);
  const range = resource.referenceRange?.[0];
  return new LabResult(patient, provenance, {
    loincCode: coding(resource.code, systems.loinc)?.code ?? null,
    testName,
    valueNumeric: resource.valueQuantity?.value ?? null,
    valueText: resource.valueString ?? label(resource.valueCodeableConcept) ?? null,
    unit: resource.valueQuantity?.unit ?? resource.valueQuantity?.code ?? null,
    referenceLow: range?.low?.value ?? null,
    referenceHigh: range?.high?.value ?? null,
    referenceText: range?.text ?? null,
    abnormalFlag: resource.interpretation?.[0]?.coding?.[0]?.code ?? null,
    status,
    effectiveAt: resource.effectiveDateTime ? new Date(resource.effectiveDateTime) : null,
  });
}

function encounter(resource: FhirEncounter, patient: Patient, provenance: ProvenanceInit) {
  return new Encounter(patient, provenance, {
    encounterType: label(resource.type?.[0]) ?? resource.class?.display ?? resource.class?.code ?? 'encounter',
    status: resource.status,
    startedAt: resource.period?.start ? new Date(resource.period.start) : null,
    endedAt: resource.period?.end ? new Date(resource.period.end) : null,
  });
}
