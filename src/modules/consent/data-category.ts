import { registerEnumType } from 'type-graphql';

/** Data categories every record carries (modelled on HL7 security labels); see DESIGN.md. */
export enum DataCategory {
  DEMOGRAPHICS = 'DEMOGRAPHICS',
  MEDICATIONS = 'MEDICATIONS',
  LABS = 'LABS',
  DIAGNOSES = 'DIAGNOSES',
  TREATMENT_SUMMARY = 'TREATMENT_SUMMARY',
  SUD = 'SUD',
  PSYCHOTHERAPY_NOTES = 'PSYCHOTHERAPY_NOTES',
}
registerEnumType(DataCategory, { name: 'DataCategory' });

/** Why data is read; recorded with every disclosure. */
export enum Purpose {
  TREATMENT = 'TREATMENT',
  PAYMENT = 'PAYMENT',
  HEALTH_CARE_OPERATIONS = 'HEALTH_CARE_OPERATIONS',
  PATIENT_REQUEST = 'PATIENT_REQUEST',
  /** Another purpose, which a consent for it states in words (`purposeStatement`). */
  OTHER = 'OTHER',
}
registerEnumType(Purpose, { name: 'Purpose' });

/**
 * The notice every disclosure of Part 2 records carries (42 CFR §2.32(a)(1), as amended 2024):
 * in GraphQL `extensions.redisclosureNotice`, in every consent document and in FHIR exports.
 */
export const part2RedisclosureNotice =
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, ' +
  'in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, ' +
  'unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. ' +
  'In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: ' +
  'further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record ' +
  'or as otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT sufficient for this purpose (see 42 CFR 2.31). ' +
  'The Federal rules restrict any use of the information to investigate or prosecute with regard to a crime any patient with a substance use disorder, ' +
  'except as provided at 42 CFR 2.12(c)(5) and 2.65.';
