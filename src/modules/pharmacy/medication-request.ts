import type { Extension, Identifier, MedicationRequest, Patient as FhirPatient } from '@medplum/fhirtypes';
import { DataCategory, part2RedisclosureNotice } from '../consent/data-category';
import { redisclosureNoticeExtensionUrl, securityLabelsFor } from '../fhir-export/security-labels';
import { systems } from '../ingest/fhir/fhir-mapping';
import type { Prescription } from '../medications/prescription.entity';
import type { Patient } from '../patients/patient.entity';
import { DispatchKind } from './pharmacy-dispatch.entity';

/** The identifier system of the hub's prescription numbers (`RX-` and 6 digits). */
export const rxNumberSystem = 'https://carebridge.example/fhir/NamingSystem/rx-number';
/** The identifier system of the hub's own record ids. */
export const hubRecordSystem = 'https://carebridge.example/fhir/NamingSystem/record-id';

const requestStatus: Record<DispatchKind, MedicationRequest['status']> = {
  [DispatchKind.ORDER]: 'active',
  [DispatchKind.CANCEL]: 'cancelled',
  [DispatchKind.STOP]: 'stopped',
};

/** What the pharmacy is told of the patient, beside the prescription. */
export interface DispensingPatient {
  patient: Pick<Patient, 'id' | 'givenName' | 'familyName' | 'birthDate' | 'phone' | 'addressLine' | 'city' | 'region' | 'postalCode'>;
  /** The prescribing program's MRN, which the pharmacy's delivery events name the patient by. */
  mrn: string | null;
  programName: string;
}

/**
 * The patient as dispensing needs them and no more: the program's MRN (which the delivery webhook
 * names the patient by), name and birth date (the two identifiers checked at hand-off), and the
 * address and phone only when the medication is delivered home. Nothing else of the chart.
 */
function dispensingPatient({ patient, mrn, programName }: DispensingPatient, homeDelivery: boolean): FhirPatient {
  const address = [patient.addressLine, patient.city, patient.region, patient.postalCode].some(Boolean)
    ? [{ ...(patient.addressLine ? { line: [patient.addressLine] } : {}), ...(patient.city ? { city: patient.city } : {}), ...(patient.region ? { state: patient.region } : {}), ...(patient.postalCode ? { postalCode: patient.postalCode } : {}) }]
    : [];
  return {
    resourceType: 'Patient',
    id: 'patient',
    ...(mrn ? { identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: mrn, assigner: { display: programName } }] } : {}),
    name: [{ family: patient.familyName, given: [patient.givenName] }],
    birthDate: patient.birthDate,
    ...(homeDelivery && patient.phone ? { telecom: [{ system: 'phone', value: patient.phone }] } : {}),
    ...(homeDelivery && address.length ? { address } : {}),
  };
}

/**
 * A message to the pharmacy as a FHIR R4 MedicationRequest: `active` to dispense, `cancelled` or
 * `stopped` when withdrawn. Identified by the hub's number, its record id and, for one imported,
 * its source's id; an MOUD/MAUD prescription carries the Part 2 security labels and the §2.32
 * notice, as every disclosure of SUD data does.
 */
export function medicationRequestOf(
  prescription: Prescription,
  kind: DispatchKind,
  dispensing: DispensingPatient,
  prescriberName: string | null,
): MedicationRequest {
  const identifier: Identifier[] = [{ system: hubRecordSystem, value: prescription.id }];
  if (prescription.rxNumber) identifier.unshift({ system: rxNumberSystem, value: prescription.rxNumber, use: 'official' });
  if (prescription.sourceRecordId) identifier.push({ system: `urn:carebridge:source:${prescription.sourceOrganization.id}`, value: prescription.sourceRecordId, assigner: { display: prescription.sourceSystem } });
  const holdsPart2 = prescription.categories.includes(DataCategory.SUD);
  const notes = [
    ...(prescription.homeDelivery ? ["Deliver to the patient's home address"] : []),
    ...(prescription.deaSchedule ? [`DEA schedule ${prescription.deaSchedule}`] : []),
  ];
  const notice: Extension[] = holdsPart2 ? [{ url: redisclosureNoticeExtensionUrl, valueString: part2RedisclosureNotice }] : [];
  return {
    resourceType: 'MedicationRequest',
    id: prescription.id,
    meta: { lastUpdated: new Date().toISOString(), ...(holdsPart2 ? { security: securityLabelsFor(prescription.categories), extension: notice } : {}) },
    contained: [dispensingPatient(dispensing, prescription.homeDelivery)],
    identifier,
    status: requestStatus[kind],
    ...(kind !== DispatchKind.ORDER && prescription.stopReason ? { statusReason: { text: prescription.stopReason } } : {}),
    intent: 'order',
    medicationCodeableConcept: {
      ...(prescription.rxnormCode ? { coding: [{ system: systems.rxnorm[0], code: prescription.rxnormCode }] } : {}),
      text: prescription.drugName,
    },
    subject: { reference: '#patient' },
    authoredOn: prescription.createdAt.toISOString(),
    ...(prescriberName ? { requester: { display: prescriberName } } : {}),
    dosageInstruction: [{ text: `${prescription.dose} ${prescription.route}, ${prescription.sig}`, route: { text: prescription.route } }],
    dispenseRequest: {
      ...(prescription.quantity ? { quantity: { value: prescription.quantity } } : {}),
      numberOfRepeatsAllowed: prescription.refills,
      ...(prescription.startDate ? { validityPeriod: { start: prescription.startDate } } : {}),
    },
    ...(notes.length ? { note: notes.map((text) => ({ text })) } : {}),
  };
}
