import type { ClinicalRecordRow } from '../clinical/record-rows';
import type { DataCategory } from '../consent/data-category';
import type { PatientIdentifierRow, PatientRow } from '../patients/patient-care';

export enum ReferralUrgency {
  ROUTINE = 'ROUTINE',
  URGENT = 'URGENT',
  EMERGENT = 'EMERGENT',
}

/** A part of the record the sender asked to include that the policy left out, and why. */
export interface WithheldPart {
  category: DataCategory;
  /** The policy's reason code, e.g. CONSENT_REQUIRED. */
  reason: string;
}

/**
 * What a referral carries to its recipient, as sent: decided once by the policy point when the
 * referral is sent, stored with it, and the only input of the letter and of the FHIR Bundle.
 * Plain data (no entities, no GraphQL types), so rendering is a pure function of it.
 */
export interface ReferralPacket {
  referral: {
    id: string;
    /** The letter's version: 1 when first sent, +1 each time a changed packet is re-sent. */
    version: number;
    urgency: ReferralUrgency;
    requestedService: string;
    reason: string;
    clinicalQuestion: string;
    sentAt: Date;
  };
  patient: PatientRow;
  identifiers: PatientIdentifierRow[];
  sender: {
    organizationId: string;
    organizationName: string;
    clinicianName: string;
    phone: string | null;
    email: string | null;
  };
  recipient: {
    organizationId: string;
    organizationName: string;
  };
  /** The records the policy let through for this recipient, current versions at sending time. */
  records: ClinicalRecordRow[];
  withheld: WithheldPart[];
  /** The consents in force the records were sent under (a revoked one stops a packet not yet delivered). */
  consentIds: string[];
  /** Whether any included record is SUD (42 CFR Part 2): the letter then carries the §2.32 notice. */
  includesSud: boolean;
}
