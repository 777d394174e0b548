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
}
registerEnumType(Purpose, { name: 'Purpose' });
