import type {
  AllergyIntolerance, CodeableConcept, Coding, Condition, Encounter as FhirEncounter, MedicationRequest, MedicationStatement,
  Observation, ObservationComponent, OperationOutcomeIssue, Reference, Resource,
} from '@medplum/fhirtypes';
import { Allergy, AllergyCriticality } from '../../clinical/allergy.entity';
import { Assessment, instrumentByLoinc, scoreProblem } from '../../clinical/assessment.entity';
import type { ClinicalRecord, ProvenanceInit } from '../../clinical/clinical-record.entity';
import { firstDay } from '../../clinical/date-precision';
import { Diagnosis, DiagnosisStatus } from '../../clinical/diagnosis.entity';
import { Encounter } from '../../clinical/encounter.entity';
import { EffectiveTimeSource, LabResult, ResultStatus } from '../../labs/lab-result.entity';
import { Prescription, PrescriptionStatus } from '../../medications/prescription.entity';
import type { Patient } from '../../patients/patient.entity';
import { sudCodeSystems } from '../../consent/sud-codes';
import { issue, parseFhirDate } from './fhir-validation';

export const systems = {
  icd10cm: sudCodeSystems.icd10,
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

/**
 * What mapping one resource needs besides the resource: where it came from, and its Bundle. Not
 * whose it is: what a Bundle says (and what of it is not imported) is read before its patient is
 * matched, so that nothing the sender is told depends on whether the patient is known here.
 */
export interface MappingContext {
  provenance: ProvenanceInit;
  /** The FHIRPath of the resource in its Bundle, for issues. */
  where: string;
  /** The resource a reference points at: a contained one ("#med1") or another entry of the Bundle. */
  resolve: (reference: Reference | undefined) => Resource | undefined;
}

/** The records a resource becomes, once its patient is known. */
export type RecordsFor = (patient: Patient) => ClinicalRecord[];

/** A FHIR resource as the clinical records of its patient, or the issue that says why it is not imported. */
export function toRecords(resource: Resource, context: MappingContext): RecordsFor | OperationOutcomeIssue {
  switch (resource.resourceType) {
    case 'Condition':
      return condition(resource, context);
    case 'MedicationStatement':
    case 'MedicationRequest':
      return medication(resource, context);
    case 'AllergyIntolerance':
      return allergy(resource, context);
    case 'Observation':
      return instrumentByLoinc[coding(resource.code, systems.loinc)?.code ?? ''] ? assessment(resource, context) : observation(resource, context);
    case 'Encounter':
      return encounter(resource, context);
    case 'Medication':
      // Read through the medication statements and requests that refer to it.
      return () => [];
    default:
      return issue('warning', 'not-supported', `${resource.resourceType} is not imported; it is kept with the raw message`, context.where);
  }
}

/**
 * A FHIR date as the record keeps it: the normalized value its kind stores, and the text as
 * given with its precision. Validation refused impossible dates before the mapping runs.
 */
function dated<T extends ClinicalRecord>(record: T, given: string | undefined): T {
  if (given === undefined) return record;
  const parsed = parseFhirDate(given, 'dateTime');
  if ('precision' in parsed) record.keepDateAsGiven(given, parsed.precision);
  return record;
}

function instantOf(given: string | undefined): Date | null {
  const parsed = given === undefined ? undefined : parseFhirDate(given, 'dateTime');
  return parsed && 'firstInstant' in parsed ? parsed.firstInstant : null;
}

function condition(resource: Condition, { provenance, where }: MappingContext): RecordsFor | OperationOutcomeIssue {
  const icd = coding(resource.code, systems.icd10cm);
  if (!icd?.code) return issue('warning', 'not-supported', 'Condition without an ICD-10-CM code is not imported', where);
  const verification = resource.verificationStatus?.coding?.[0]?.code;
  if (verification === 'refuted' || verification === 'entered-in-error') {
    return issue('warning', 'not-supported', `A Condition whose verification status is ${verification} is not put on the problem list`, where);
  }
  const onset = resource.onsetDateTime ?? resource.onsetPeriod?.start;
  const onsetDay = onset === undefined ? undefined : parseFhirDate(onset, 'dateTime');
  const data = {
    icd10Code: icd.code,
    text: resource.code?.text ?? icd.display ?? icd.code,
    // The calendar day as the source wrote it: a problem list date is not shifted to another zone.
    onsetDate: onsetDay && 'dayAsGiven' in onsetDay ? firstDay(onsetDay.dayAsGiven) : null,
    status: conditionStatus[resource.clinicalStatus?.coding?.[0]?.code ?? 'active'] ?? DiagnosisStatus.ACTIVE,
  };
  return (patient) => [dated(new Diagnosis(patient, provenance, data), onset)];
}

function medication(resource: MedicationStatement | MedicationRequest, { provenance, where, resolve }: MappingContext): RecordsFor | OperationOutcomeIssue {
  const referenced = resolve(resource.medicationReference);
  const concept = resource.medicationCodeableConcept ?? (referenced?.resourceType === 'Medication' ? referenced.code : undefined);
  const drugName = label(concept);
  if (!drugName) return issue('warning', 'not-supported', `${resource.resourceType} without a medication name is not imported`, where);
  const dosage = resource.resourceType === 'MedicationStatement' ? resource.dosage?.[0] : resource.dosageInstruction?.[0];
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  const data = {
    drugName,
    rxnormCode: coding(concept, systems.rxnorm)?.code ?? null,
    dose: dose?.value !== undefined ? `${dose.value} ${dose.unit ?? ''}`.trim() : 'not stated',
    route: label(dosage?.route) ?? 'not stated',
    sig: dosage?.text ?? 'not stated',
  };
  return (patient) => {
    const prescription = new Prescription(patient, provenance, data);
    if (stoppedStatuses.has(resource.status ?? '')) prescription.prescriptionStatus = PrescriptionStatus.STOPPED;
    return [prescription];
  };
}

function allergy(resource: AllergyIntolerance, { provenance, where }: MappingContext): RecordsFor | OperationOutcomeIssue {
  const substance = label(resource.code);
  if (!substance) return issue('warning', 'not-supported', 'AllergyIntolerance without a substance is not imported', where);
  const criticality = { low: AllergyCriticality.LOW, high: AllergyCriticality.HIGH, 'unable-to-assess': AllergyCriticality.UNABLE_TO_ASSESS };
  const reactions = (resource.reaction ?? []).flatMap((reaction) => reaction.manifestation.map(label)).filter((each) => each !== undefined);
  const data = {
    substance,
    substanceCode: resource.code?.coding?.[0]?.code ?? null,
    reaction: reactions.length > 0 ? [...new Set(reactions)].join('; ') : null,
    criticality: resource.criticality ? criticality[resource.criticality] : null,
  };
  return (patient) => [new Allergy(patient, provenance, data)];
}

const effectiveOf = (resource: Observation) => resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.effectiveInstant;

/** A PHQ-9, GAD-7 or AUDIT-C total score: an assessment, with the instrument's range checked. */
function assessment(resource: Observation, { provenance, where }: MappingContext): RecordsFor | OperationOutcomeIssue {
  const instrument = instrumentByLoinc[coding(resource.code, systems.loinc)!.code!];
  if (resource.status !== 'final' && resource.status !== 'amended' && resource.status !== 'corrected') {
    return issue('warning', 'not-supported', `A ${instrument} score with status ${resource.status} is not imported`, where);
  }
  const score = resource.valueInteger ?? resource.valueQuantity?.value;
  const problem = scoreProblem(instrument, score);
  if (problem) return issue('error', 'value', problem, `${where}.value${resource.valueQuantity ? 'Quantity' : 'Integer'}`);
  const given = effectiveOf(resource) ?? resource.issued;
  const administeredAt = instantOf(given);
  if (!administeredAt) return issue('warning', 'required', `A ${instrument} score without an effective time is not imported`, where);
  return (patient) => [dated(new Assessment(patient, provenance, { instrument, score: score!, administeredAt }), given)];
}

/**
 * A lab result or vital sign: one result for the Observation's own value, and one per component
 * with a value (blood pressure sends systolic and diastolic as components of a panel).
 */
function observation(resource: Observation, { provenance, where }: MappingContext): RecordsFor | OperationOutcomeIssue {
  const testName = label(resource.code);
  const status = observationStatus[resource.status];
  if (!testName || !status) return issue('warning', 'not-supported', 'Observation without a name or a known status is not imported', where);
  const given = effectiveOf(resource);
  const effectiveAt = instantOf(given);
  const shared = { status, effectiveAt, effectiveTimeSource: effectiveAt ? EffectiveTimeSource.OBSERVATION_TIME : null };
  const components = (resource.component ?? []).filter((component) => valueOf(component) !== undefined);
  return (patient) => {
    const results = components.map((component, index) => {
      const code = coding(component.code, systems.loinc)?.code;
      // Each component is its own record of the same source resource, keyed by its code.
      const sourceRecordId = provenance.sourceRecordId ? `${provenance.sourceRecordId}#${code ?? index}` : null;
      return new LabResult(patient, { ...provenance, sourceRecordId }, { ...shared, ...resultOf(component, label(component.code) ?? testName), loincCode: code ?? null });
    });
    if (valueOf(resource) !== undefined || results.length === 0) {
      results.unshift(new LabResult(patient, provenance, { ...shared, ...resultOf(resource, testName), loincCode: coding(resource.code, systems.loinc)?.code ?? null }));
    }
    return results.map((result) => dated(result, given));
  };
}

type Valued = Pick<Observation, 'valueQuantity' | 'valueInteger' | 'valueString' | 'valueCodeableConcept' | 'valueBoolean' | 'interpretation' | 'referenceRange'>;

function valueOf(source: Valued): number | string | boolean | undefined {
  return source.valueQuantity?.value ?? source.valueInteger ?? source.valueString ?? label(source.valueCodeableConcept) ?? source.valueBoolean;
}

function resultOf(source: Valued | ObservationComponent, testName: string) {
  const value = valueOf(source);
  const quantity = source.valueQuantity;
  // "<0.5 mg/L" is a bound, not the value 0.5: trends and critical rules must not read it as one.
  const bound = quantity?.comparator !== undefined && quantity.value !== undefined;
  const coded = source.valueCodeableConcept?.coding?.find((each) => each.code && each.code.length <= 50 && (each.system ?? '').length <= 50);
  return {
    testName,
    valueNumeric: typeof value === 'number' && !bound ? value : null,
    valueText: bound ? `${quantity.comparator}${quantity.value}` : typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : null,
    valueComparator: bound ? quantity.comparator : null,
    valueBound: bound ? quantity.value : null,
    valueCode: coded?.code ?? null,
    valueCodeSystem: coded ? (coded.system ?? null) : null,
    unit: quantity?.unit ?? quantity?.code ?? null,
    referenceLow: source.referenceRange?.[0]?.low?.value ?? null,
    referenceHigh: source.referenceRange?.[0]?.high?.value ?? null,
    referenceText: source.referenceRange?.[0]?.text ?? null,
    abnormalFlag: source.interpretation?.[0]?.coding?.[0]?.code ?? null,
  };
}

function encounter(resource: FhirEncounter, { provenance }: MappingContext): RecordsFor {
  // What the labelling rule reads to tell SUD treatment: what kind of visit, which service, and why.
  const described = [...(resource.type ?? []), resource.serviceType, ...(resource.reasonCode ?? [])];
  const data = {
    encounterType: label(resource.type?.[0]) ?? resource.class?.display ?? resource.class?.code ?? 'encounter',
    status: resource.status,
    startedAt: instantOf(resource.period?.start),
    endedAt: instantOf(resource.period?.end),
    codes: described.flatMap((concept) => concept?.coding ?? []),
  };
  return (patient) => [dated(new Encounter(patient, provenance, data), resource.period?.start)];
}
