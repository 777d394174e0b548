import type {
  AdverseEvent, AllergyIntolerance, Bundle, CarePlan as FhirCarePlan, Condition, Encounter as FhirEncounter, Identifier, MedicationDispense, MedicationRequest,
  Observation, Patient as FhirPatient, Reference, Resource, ServiceRequest as FhirServiceRequest,
} from '@medplum/fhirtypes';
import { systems } from '../ingest/fhir/fhir-mapping';
import { Allergy, AllergyCriticality } from '../clinical/allergy.entity';
import { Assessment, AssessmentInstrument } from '../clinical/assessment.entity';
import { Attendance, AttendanceStatus, SessionType } from '../clinical/attendance.entity';
import { CarePlan, CarePlanType } from '../clinical/care-plan.entity';
import { isRecordOf } from '../clinical/record-kinds';
import type { ClinicalRecordRow } from '../clinical/record-rows';
import { Diagnosis } from '../clinical/diagnosis.entity';
import { Encounter } from '../clinical/encounter.entity';
import { SideEffect, SideEffectSeverity } from '../clinical/side-effect.entity';
import { LabOrder, type LabOrderStatus } from '../labs/lab-order.entity';
import { LabResult } from '../labs/lab-result.entity';
import { Prescription, PrescriptionStatus } from '../medications/prescription.entity';
import { Dispense } from '../pharmacy/dispense.entity';
import { FillStatus } from '../pharmacy/dispensing-status';
import type { PatientIdentifierRow, PatientRow } from '../patients/patient-care';
import { bundleMeta, securityLabelsFor } from './security-labels';

/** How the resources of a Bundle refer to its Patient entry (full URL `urn:uuid:<id>`). */
export const patientReference = (id: string): Reference<FhirPatient> => ({ reference: `urn:uuid:${id}` });

/** LOINC codes of the instruments' total scores; the C-SSRS screener is sent by name. */
const instrumentLoinc: Partial<Record<AssessmentInstrument, { code: string; display: string }>> = {
  [AssessmentInstrument.PHQ9]: { code: '44261-6', display: 'Patient Health Questionnaire 9 item (PHQ-9) total score' },
  [AssessmentInstrument.GAD7]: { code: '70274-6', display: 'Generalized anxiety disorder 7 item (GAD-7) total score' },
  [AssessmentInstrument.AUDIT_C]: { code: '75626-2', display: 'Total score [AUDIT-C]' },
};

const encounterStatuses = new Set<FhirEncounter['status']>(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']);

const adverseSeverity: Record<SideEffectSeverity, string> = {
  [SideEffectSeverity.MILD]: 'mild',
  [SideEffectSeverity.MODERATE]: 'moderate',
  [SideEffectSeverity.SEVERE]: 'severe',
  [SideEffectSeverity.LIFE_THREATENING]: 'severe',
};

const allergyCriticality: Record<AllergyCriticality, NonNullable<AllergyIntolerance['criticality']>> = {
  [AllergyCriticality.LOW]: 'low',
  [AllergyCriticality.HIGH]: 'high',
  [AllergyCriticality.UNABLE_TO_ASSESS]: 'unable-to-assess',
};

const interpretationSystem = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const observationCategory = (code: 'laboratory' | 'survey') => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
];

/** The body of one record as the FHIR R4 resource a receiving EHR expects. */
function resourceBody(record: ClinicalRecordRow, subject: Reference<FhirPatient>): Resource {
  if (isRecordOf(record, Diagnosis)) {
    return {
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: record.diagnosisStatus.toLowerCase() }] },
      code: { coding: [{ system: systems.icd10cm[0], code: record.icd10Code }], text: record.diagnosisText },
      subject,
      ...(record.onsetDate ? { onsetDateTime: record.onsetDate } : {}),
    } satisfies Condition;
  }
  if (isRecordOf(record, Prescription)) {
    return {
      resourceType: 'MedicationRequest',
      status: record.prescriptionStatus === PrescriptionStatus.ACTIVE ? 'active' : 'stopped',
      intent: 'order',
      medicationCodeableConcept: { ...(record.rxnormCode ? { coding: [{ system: systems.rxnorm[0], code: record.rxnormCode }] } : {}), text: record.drugName },
      subject,
      ...(record.startDate ? { authoredOn: record.startDate } : {}),
      dosageInstruction: [{ text: `${record.dose} ${record.route}, ${record.sig}`, route: { text: record.route } }],
      ...(record.quantity || record.refills !== null
        ? { dispenseRequest: { ...(record.quantity ? { quantity: { value: record.quantity } } : {}), ...(record.refills !== null ? { numberOfRepeatsAllowed: record.refills } : {}) } }
        : {}),
    } satisfies MedicationRequest;
  }
  if (isRecordOf(record, Allergy)) {
    return {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      patient: subject,
      code: { text: record.substance },
      ...(record.criticality ? { criticality: allergyCriticality[record.criticality] } : {}),
      ...(record.reaction ? { reaction: [{ manifestation: [{ text: record.reaction }] }] } : {}),
    } satisfies AllergyIntolerance;
  }
  if (isRecordOf(record, SideEffect)) {
    return {
      resourceType: 'AdverseEvent',
      actuality: 'actual',
      subject,
      event: { text: record.effect },
      severity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adverse-event-severity', code: adverseSeverity[record.severity] }], text: record.severity.toLowerCase().replace('_', '-') },
      ...(record.onsetDate ? { date: record.onsetDate } : {}),
    } satisfies AdverseEvent;
  }
  if (isRecordOf(record, Assessment)) {
    const loinc = instrumentLoinc[record.instrument];
    return {
      resourceType: 'Observation',
      status: 'final',
      category: observationCategory('survey'),
      code: { ...(loinc ? { coding: [{ system: systems.loinc[0], ...loinc }] } : {}), text: record.instrument },
      subject,
      effectiveDateTime: record.administeredAt.toISOString(),
      valueInteger: record.score,
    } satisfies Observation;
  }
  if (isRecordOf(record, LabResult)) {
    return {
      resourceType: 'Observation',
      status: (record.resultStatus?.toLowerCase() ?? 'unknown') as Observation['status'],
      category: observationCategory('laboratory'),
      code: { ...(record.loincCode ? { coding: [{ system: systems.loinc[0], code: record.loincCode }] } : {}), text: record.testName },
      subject,
      ...(record.effectiveAt ? { effectiveDateTime: record.effectiveAt.toISOString() } : {}),
      ...(record.valueNumeric !== null
        ? { valueQuantity: { value: record.valueNumeric, ...(record.unit ? { unit: record.unit } : {}) } }
        : record.valueText !== null ? { valueString: record.valueText } : {}),
      ...(record.abnormalFlag ? { interpretation: [{ coding: [{ system: interpretationSystem, code: record.abnormalFlag }] }] } : {}),
      ...(record.referenceLow !== null || record.referenceHigh !== null || record.referenceText
        ? {
            referenceRange: [{
              ...(record.referenceLow !== null ? { low: { value: record.referenceLow, ...(record.unit ? { unit: record.unit } : {}) } } : {}),
              ...(record.referenceHigh !== null ? { high: { value: record.referenceHigh, ...(record.unit ? { unit: record.unit } : {}) } } : {}),
              ...(record.referenceText ? { text: record.referenceText } : {}),
            }],
          }
        : {}),
      ...(record.comment ? { note: [{ text: record.comment }] } : {}),
    } satisfies Observation;
  }
  if (isRecordOf(record, Attendance)) {
    const attended = record.attendanceStatus === AttendanceStatus.ATTENDED || record.attendanceStatus === AttendanceStatus.LATE;
    return {
      resourceType: 'Encounter',
      status: attended ? 'finished' : 'cancelled',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
      type: [{ text: record.sessionType === SessionType.GROUP ? 'IOP group session' : 'IOP individual session' }],
      subject,
      period: { start: record.sessionAt.toISOString() },
    } satisfies FhirEncounter;
  }
  if (isRecordOf(record, Encounter)) {
    const status = (record.encounterStatus ?? 'unknown') as FhirEncounter['status'];
    return {
      resourceType: 'Encounter',
      status: encounterStatuses.has(status) ? status : 'unknown',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      type: [{ text: record.encounterType }],
      subject,
      ...(record.startedAt ? { period: { start: record.startedAt.toISOString(), ...(record.endedAt ? { end: record.endedAt.toISOString() } : {}) } } : {}),
    } satisfies FhirEncounter;
  }
  if (isRecordOf(record, CarePlan)) {
    return {
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      title: record.planType === CarePlanType.CRISIS ? 'Crisis and safety plan' : 'Treatment plan',
      description: record.planText,
      subject,
    } satisfies FhirCarePlan;
  }
  if (isRecordOf(record, LabOrder)) {
    return {
      resourceType: 'ServiceRequest',
      status: serviceRequestStatuses[record.orderStatus],
      intent: 'order',
      code: { text: record.testName },
      identifier: [{ value: record.orderId }],
      subject,
    } satisfies FhirServiceRequest;
  }
  if (isRecordOf(record, Dispense)) {
    return {
      resourceType: 'MedicationDispense',
      status: dispenseStatuses[record.fillStatus],
      medicationCodeableConcept: { ...(record.ndc ? { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: record.ndc.replace(/-/g, '') }] } : {}), text: record.drugName },
      subject,
      ...(record.dispensedQuantity !== null ? { quantity: { value: record.dispensedQuantity } } : {}),
      ...(record.daysSupply !== null ? { daysSupply: { value: record.daysSupply, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' } } : {}),
      ...(record.dispensedOn ? { whenHandedOver: record.dispensedOn } : {}),
      ...(record.notDispensedReason ? { statusReasonCodeableConcept: { text: record.notDispensedReason } } : {}),
      ...(record.fillStatus === FillStatus.TRANSFERRED ? { statusReasonCodeableConcept: { text: 'Transferred to another pharmacy' } } : {}),
      ...(record.note ? { note: [{ text: record.note }] } : {}),
    } satisfies MedicationDispense;
  }
  throw new Error(`No FHIR mapping for ${record.kind} records`);
}

/** FHIR MedicationDispense.status for each fill status: the rest of a partial fill is still to come. */
const dispenseStatuses: Record<FillStatus, MedicationDispense['status']> = {
  DISPENSED: 'completed',
  PARTIALLY_DISPENSED: 'in-progress',
  NOT_DISPENSED: 'declined',
  TRANSFERRED: 'stopped',
};

/** FHIR ServiceRequest.status for each lab order status: an order with results to come is active. */
const serviceRequestStatuses: Record<LabOrderStatus, FhirServiceRequest['status']> = {
  ORDERED: 'active',
  SCHEDULED: 'active',
  IN_PROCESS: 'active',
  RESULTS_IN_PART: 'active',
  PRELIMINARY: 'active',
  FINAL: 'completed',
  CORRECTED: 'completed',
  CANCELLED: 'revoked',
};

/**
 * The source's own id for a record, when it sent one. Its system must be a URI: a source system
 * that is one (a FHIR server's base) is used as is, others are placed under the organization.
 */
function sourceIdentifier(record: ClinicalRecordRow): Identifier | null {
  if (!record.sourceRecordId) return null;
  const system = /^[a-z][a-z0-9+.-]*:/i.test(record.sourceSystem)
    ? record.sourceSystem
    : `urn:carebridge:organization:${record.sourceOrganization.id}:${encodeURIComponent(record.sourceSystem)}`;
  return { system, value: record.sourceRecordId };
}

/** One record as a FHIR resource with its Part 2 labels and where it came from. */
export function recordResource(record: ClinicalRecordRow, subject: Reference<FhirPatient>): Resource {
  const labels = securityLabelsFor(record.categories);
  const identifier = sourceIdentifier(record);
  const body = resourceBody(record, subject);
  return {
    ...body,
    id: record.id,
    meta: { lastUpdated: record.receivedAt.toISOString(), ...(labels.length ? { security: labels } : {}) },
    // AdverseEvent has one identifier in R4; the others a list.
    ...(identifier ? { identifier: body.resourceType === 'AdverseEvent' ? identifier : [identifier] } : {}),
  } as Resource;
}

/** The patient as a FHIR Patient with the record numbers organizations gave them. */
export function patientResource(patient: PatientRow, identifiers: PatientIdentifierRow[]): FhirPatient {
  const line = patient.addressLine ? [patient.addressLine] : undefined;
  const address = line || patient.city || patient.region || patient.postalCode
    ? [{ line, city: patient.city ?? undefined, state: patient.region ?? undefined, postalCode: patient.postalCode ?? undefined }]
    : undefined;
  return {
    resourceType: 'Patient',
    id: patient.id,
    identifier: identifiers.map((identifier) => ({ system: identifier.system || `urn:carebridge:organization:${identifier.organization.id}`, value: identifier.value })),
    name: [{ family: patient.familyName, given: [patient.givenName] }],
    birthDate: patient.birthDate,
    ...(patient.phone ? { telecom: [{ system: 'phone', value: patient.phone }] } : {}),
    ...(address ? { address } : {}),
  };
}

/**
 * A FHIR R4 collection Bundle of what the reader was shown: the patient and their records, each
 * SUD record labelled as Part 2, the bundle labelled with the highest of them.
 */
export function toFhirBundle(patient: PatientRow, identifiers: PatientIdentifierRow[], records: ClinicalRecordRow[]): Bundle {
  const subject = patientReference(patient.id);
  const resources: Resource[] = [patientResource(patient, identifiers), ...records.map((record) => recordResource(record, subject))];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    meta: bundleMeta(records.some((record) => securityLabelsFor(record.categories).length > 0)),
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
