/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddPatientIdentifierInput = {
  /** The organization that assigned the identifier. */
  organizationId: string | number;
  patientId: string | number;
  /** The system or assigning authority within that organization, if it has several. */
  system?: string | null | undefined;
  value: string;
};

export type AlertUrgency =
  | 'ROUTINE'
  | 'URGENT';

export type AllergyCriticality =
  | 'HIGH'
  | 'LOW'
  | 'UNABLE_TO_ASSESS';

export type AssessmentInput = {
  administeredAt: string;
  instrument: AssessmentInstrument;
  patientId: string | number;
  score: number;
};

export type AssessmentInstrument =
  | 'AUDIT_C'
  | 'CSSRS_SCREEN'
  | 'GAD7'
  | 'PHQ9';

export type AttendanceInput = {
  patientId: string | number;
  sessionAt: string;
  sessionType: SessionType;
  status: AttendanceStatus;
  /** The session is substance-use-disorder programming. */
  sudProgram?: boolean | null | undefined;
};

export type AttendanceStatus =
  | 'ABSENT'
  | 'ATTENDED'
  | 'EXCUSED'
  | 'LATE';

export type CancelPrescriptionInput = {
  prescriptionId: string | number;
  /** Why, as the pharmacy will read it. */
  reason: string;
};

export type CarePlanInput = {
  addressesSud?: boolean | null | undefined;
  patientId: string | number;
  planType: CarePlanType;
  text: string;
};

export type CarePlanType =
  | 'CRISIS'
  | 'TREATMENT';

export type CareTeamRole =
  | 'CASE_MANAGER'
  | 'NURSE'
  | 'PRESCRIBER'
  | 'THERAPIST';

export type ClinicalRecordKind =
  | 'ALLERGY'
  | 'ASSESSMENT'
  | 'ATTENDANCE'
  | 'CARE_PLAN'
  | 'DIAGNOSIS'
  | 'DISPENSE'
  | 'ENCOUNTER'
  | 'LAB_ORDER'
  | 'LAB_RESULT'
  | 'PRESCRIPTION'
  | 'SIDE_EFFECT';

export type ConsentExpiryEvent =
  | 'END_OF_TREATMENT';

export type ConsentStatus =
  | 'ACTIVE'
  | 'DECLINED'
  | 'EXPIRED'
  | 'REQUESTED'
  | 'REVOKED';

export type CreateOrganizationInput = {
  kind: OrganizationKind;
  name: string;
};

export type CreateReferralInput = {
  clinicalQuestion: string;
  patientId: string | number;
  reason: string;
  /** A local provider or a primary-care practice. */
  recipientOrganizationId: string | number;
  /** The parts of the record to include; what goes is decided when sending, under the consents in force. */
  requestedCategories: Array<DataCategory>;
  /** What is asked for, e.g. "Outpatient psychiatry evaluation". */
  requestedService: string;
  urgency: ReferralUrgency;
};

export type CreateUserInput = {
  displayName: string;
  email: string;
  /** For staff: their first membership. */
  membership?: MembershipInput | null | undefined;
  /** For a patient user: their patient record. */
  patientId?: string | number | null | undefined;
};

export type CriticalAlertStatus =
  | 'ACKNOWLEDGED'
  | 'ESCALATED'
  | 'OPEN';

export type DataCategory =
  | 'DEMOGRAPHICS'
  | 'DIAGNOSES'
  | 'LABS'
  | 'MEDICATIONS'
  | 'PSYCHOTHERAPY_NOTES'
  | 'SUD'
  | 'TREATMENT_SUMMARY';

export type DeaSchedule =
  | 'II'
  | 'III'
  | 'IV'
  | 'V';

export type DeliveryEventOrigin =
  | 'PHARMACIST'
  | 'WEBHOOK';

/** As the webhook contract has it (reason); required on EXCEPTION and RETURNED. */
export type DeliveryReasonInput = {
  /** ADDRESS_UNDELIVERABLE, RECIPIENT_UNAVAILABLE, WEATHER_DELAY, CARRIER_DELAY, DAMAGED, REFUSED, RETURN_TO_SENDER, TEMPERATURE_EXCURSION or OTHER. */
  code: string;
  text: string;
};

/** As the webhook contract has it (shipment). */
export type DeliveryShipmentInput = {
  carrier: string;
  /** A date, or a date and time with offset (RFC 3339). */
  estimatedDelivery?: string | null | undefined;
  service?: string | null | undefined;
  trackingNumber?: string | null | undefined;
};

/** As the webhook contract has it (signature); method NONE exactly when not obtained. */
export type DeliverySignatureInput = {
  capturedAt?: string | null | undefined;
  driverRelease?: boolean | null | undefined;
  leftAt?: string | null | undefined;
  /** ELECTRONIC, PAPER or NONE. */
  method: string;
  obtained: boolean;
  relationship?: string | null | undefined;
  required: boolean;
  signerName?: string | null | undefined;
};

export type DeliveryStatus =
  | 'DELIVERED'
  | 'EXCEPTION'
  | 'OUT_FOR_DELIVERY'
  | 'PROCESSING'
  | 'RECEIVED'
  | 'RETURNED'
  | 'SHIPPED';

/** A delivery event for one fill, checked by the webhook contract's rules. */
export type DeliveryStatusInput = {
  fillNumber: number;
  note?: string | null | undefined;
  /** When it happened: RFC 3339 with an offset. */
  occurredAt: string;
  reason?: DeliveryReasonInput | null | undefined;
  shipment?: DeliveryShipmentInput | null | undefined;
  signature?: DeliverySignatureInput | null | undefined;
  status: DeliveryStatus;
};

export type DiagnosisInput = {
  icd10Code: string;
  onsetDate?: string | null | undefined;
  patientId: string | number;
  status?: DiagnosisStatus | null | undefined;
  text: string;
};

export type DiagnosisStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'RESOLVED';

export type DispensedInput = {
  daysSupply: number;
  dispensedOn: string;
  /** 0 for the first fill, 1 for the first refill… */
  fillNumber: number;
  lotNumber: string;
  /** NDC: 10 digits hyphenated 4-4-2, 5-3-2 or 5-4-1, or 11 digits (5-4-2). */
  ndc: string;
  /** The hub's number (RX-…) or the source's identifier of a prescription routed to your pharmacy. */
  prescriptionRef: string;
  quantity: number;
};

/** A routed prescription at its pharmacy: NEW, or its latest fill's status. */
export type DispensingStatus =
  | 'DISPENSED'
  | 'NEW'
  | 'NOT_DISPENSED'
  | 'PARTIALLY_DISPENSED'
  | 'TRANSFERRED';

export type EnrollmentStatus =
  | 'ACTIVE'
  | 'DISCHARGED'
  | 'WITHDRAWN';

/** What a pharmacy reported of a fill (NCPDP SCRIPT RxFill). */
export type FillStatus =
  | 'DISPENSED'
  | 'NOT_DISPENSED'
  | 'PARTIALLY_DISPENSED'
  | 'TRANSFERRED';

export type InboxSource =
  | 'FHIR'
  | 'HL7V2'
  | 'PHARMACY';

export type InboxState =
  | 'FAILED'
  | 'HELD'
  | 'PROCESSED'
  | 'RECEIVED'
  | 'REJECTED';

export type MatchReviewStatus =
  | 'CREATED'
  | 'LINKED'
  | 'PENDING'
  | 'REJECTED'
  | 'UNLINKED';

export type MedicationAlertKind =
  | 'CONTROLLED_DELIVERY_UNSIGNED'
  | 'DELIVERY_EXCEPTION'
  | 'DELIVERY_LATE'
  | 'DELIVERY_RETURNED'
  | 'NOT_DISPENSED'
  | 'REFILL_LATE';

export type MedicationDiscrepancy =
  | 'DOSE_DIFFERS'
  | 'NOT_ON_IOP_LIST'
  | 'STOPPED_IN_ONE_SOURCE';

export type MembershipInput = {
  organizationId: string | number;
  role: Role;
};

export type NotDispensedInput = {
  /** 0 for the first fill, 1 for the first refill… */
  fillNumber: number;
  /** Required for CLINICAL_CONCERN. */
  note?: string | null | undefined;
  /** The hub's number (RX-…) or the source's identifier of a prescription routed to your pharmacy. */
  prescriptionRef: string;
  reason: NotDispensedReason;
};

export type NotDispensedReason =
  /** Requires a note. */
  | 'CLINICAL_CONCERN'
  | 'NOT_PICKED_UP'
  | 'OUT_OF_STOCK'
  | 'PATIENT_DECLINED'
  | 'PRIOR_AUTHORIZATION_REQUIRED';

/** What a notification is about, and the query that opens it with the notification's subjectId. */
export type NotificationSubject =
  /** breakGlassAccess(id: subjectId): an emergency access to a patient's record (break-glass.opened). */
  | 'BREAK_GLASS_ACCESS'
  /** consent(id: subjectId): a release-of-information consent (consent.requested, consent.reminder, consent.revoked, consent.expired). */
  | 'CONSENT'
  /** criticalAlert(id: subjectId): a critical lab result (critical.result, critical.escalated). */
  | 'CRITICAL_ALERT'
  /** dispense(id: subjectId): a prescription a pharmacy transferred to another pharmacy (fill.transferred). */
  | 'DISPENSE'
  /** enrollment(id: subjectId): a patient enrolled with you on the care team (patient.enrolled). */
  | 'ENROLLMENT'
  /** failedJob(id: subjectId): queued work given up after every retry (job.failed). */
  | 'FAILED_JOB'
  /** inboundMessage(id: subjectId): an inbound message that failed (inbound.failed) or holds a critical result awaiting a patient match (critical.awaiting-match). */
  | 'INBOX_MESSAGE'
  /** medicationAlert(id: subjectId): a delivery late, held up or returned, a controlled substance unsigned, a fill not dispensed, a refill late (medication.alert). */
  | 'MEDICATION_ALERT'
  /** prescription(id: subjectId): your prescription awaits a consent naming its pharmacy (prescription.awaiting-consent), or could not be delivered to the pharmacy (prescription.delivery-failed). */
  | 'PRESCRIPTION'
  /** referral(id: subjectId): a referral sent to your organization (referral.requested, referral.cancelled), or your referral answered or not delivered (referral.received, referral.accepted, referral.rejected, referral.scheduled, referral.completed, referral.no-show, referral.failed); a reminder to acknowledge one sent to your organization (referral.reminder) or to record the outcome of its appointment (referral.outcome-due), or your referral not yet acknowledged (referral.unacknowledged). */
  | 'REFERRAL';

export type OrganizationKind =
  | 'IOP'
  | 'LAB'
  | 'LOCAL_PROVIDER'
  | 'PHARMACY'
  | 'PRIMARY_CARE';

export type PartialFillInput = {
  daysSupply: number;
  dispensedOn: string;
  /** 0 for the first fill, 1 for the first refill… */
  fillNumber: number;
  lotNumber?: string | null | undefined;
  ndc?: string | null | undefined;
  /** The hub's number (RX-…) or the source's identifier of a prescription routed to your pharmacy. */
  prescriptionRef: string;
  quantity: number;
  /** What remains to dispense. */
  remainingQuantity: number;
};

export type PharmacyDispatchKind =
  | 'CANCEL'
  | 'ORDER'
  | 'STOP';

export type PrescriptionInput = {
  deaSchedule?: DeaSchedule | null | undefined;
  dose: string;
  drugName: string;
  homeDelivery?: boolean | null | undefined;
  ingredientRxcui?: string | null | undefined;
  patientId: string | number;
  pharmacyId?: string | number | null | undefined;
  quantity?: number | null | undefined;
  refills?: number | null | undefined;
  route: string;
  rxnormCode?: string | null | undefined;
  /** Frequency and directions. */
  sig: string;
  startDate?: string | null | undefined;
};

export type PrescriptionRouting =
  | 'AWAITING_CONSENT'
  | 'ROUTED'
  | 'WITHDRAWN';

export type PrescriptionStatus =
  | 'ACTIVE'
  | 'STOPPED';

export type Purpose =
  | 'HEALTH_CARE_OPERATIONS'
  | 'OTHER'
  | 'PATIENT_REQUEST'
  | 'PAYMENT'
  | 'TREATMENT';

export type ReconcileMedicationInput = {
  action: ReconciliationAction;
  /** The MedicationGroup.ingredient decided about. */
  ingredient: string;
  note?: string | null | undefined;
  patientId: string | number;
};

export type ReconciliationAction =
  | 'CHANGE'
  | 'DISCONTINUE'
  | 'KEEP';

export type ReferralStatus =
  /** The recipient will see the patient. */
  | 'ACCEPTED'
  /** Withdrawn by the sender (with a reason). */
  | 'CANCELLED'
  /** Seen; the consult note is returned. */
  | 'COMPLETED'
  /** Being written by the sender; the recipient does not see it. */
  | 'DRAFT'
  /** The letter could not be delivered; it may be sent again. */
  | 'FAILED'
  /** An appointment is booked (scheduling again reschedules it). */
  | 'IN_PROGRESS'
  /** The patient did not come to the appointment. */
  | 'NO_SHOW'
  /** The recipient organization has opened it. */
  | 'RECEIVED'
  /** The recipient declined it (with a reason). */
  | 'REJECTED'
  /** Sent: the packet is decided and stored, the letter is being delivered. */
  | 'REQUESTED';

export type ReferralUrgency =
  | 'EMERGENT'
  | 'ROUTINE'
  | 'URGENT';

export type RegisterPatientInput = {
  addressLine?: string | null | undefined;
  birthDate: string;
  /** Your role on the care team (clinicians; default PRESCRIBER). */
  careTeamRole?: CareTeamRole | null | undefined;
  city?: string | null | undefined;
  familyName: string;
  givenName: string;
  /** The program's own identifier (MRN) for the patient. */
  mrn?: string | null | undefined;
  phone?: string | null | undefined;
  postalCode?: string | null | undefined;
  region?: string | null | undefined;
};

export type RequestConsentInput = {
  categories: Array<DataCategory>;
  expiresAt?: string | null | undefined;
  /** Instead of (or as well as) a date. */
  expiryEvent?: ConsentExpiryEvent | null | undefined;
  patientId: string | number;
  purpose: Purpose;
  /** What the disclosure is for, in words; required for OTHER. */
  purposeStatement?: string | null | undefined;
  recipientOrganizationIds?: Array<string | number>;
  /** Named people at partner organizations. */
  recipientUserIds?: Array<string | number>;
  /** Default: now. */
  startsAt?: string | null | undefined;
};

export type ResultStatus =
  | 'CANCELLED'
  | 'CORRECTED'
  | 'FINAL'
  | 'PRELIMINARY';

export type Role =
  | 'ADMIN'
  | 'IOP_CLINICIAN'
  | 'LAB'
  | 'LOCAL_PROVIDER'
  | 'PATIENT'
  | 'PCP'
  | 'PHARMACIST';

export type SessionType =
  | 'GROUP'
  | 'INDIVIDUAL';

export type SetIdentifierSystemsInput = {
  /** FHIR identifier.system URIs or HL7 assigning authorities (PID-3 CX.4) of your own identifiers. */
  systems: Array<string>;
};

export type SetOrganizationEndpointInput = {
  /** A rotation: the previous secret keeps signing beside the new one (two v1= entries) for this many hours, 0 to 168; 0 (a leaked secret) stops it at once. */
  keepPreviousSecretHours?: number;
  organizationId: string | number;
  /** Where the hub POSTs signed webhooks (https:// in production). */
  url: string;
};

export type SideEffectInput = {
  effect: string;
  followUp?: string | null | undefined;
  onsetDate?: string | null | undefined;
  patientId: string | number;
  prescriptionId?: string | number | null | undefined;
  severity: SideEffectSeverity;
};

export type SideEffectSeverity =
  | 'LIFE_THREATENING'
  | 'MILD'
  | 'MODERATE'
  | 'SEVERE';

export type TransferredInput = {
  /** 0 for the first fill, 1 for the first refill… */
  fillNumber: number;
  note?: string | null | undefined;
  /** The hub's number (RX-…) or the source's identifier of a prescription routed to your pharmacy. */
  prescriptionRef: string;
  /** The pharmacy organization it goes to. */
  transferredToId: string | number;
};

export type TrendDirection =
  | 'DOWN'
  | 'SINGLE'
  | 'STABLE'
  | 'UP';

/** What to change in a draft; fields left out stay. */
export type UpdateReferralInput = {
  clinicalQuestion?: string | null | undefined;
  reason?: string | null | undefined;
  requestedCategories?: Array<DataCategory> | null | undefined;
  requestedService?: string | null | undefined;
  urgency?: ReferralUrgency | null | undefined;
};

export type WebhookDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'NO_ENDPOINT'
  | 'PENDING';

export type MyNotificationsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyNotificationsQuery = { myNotifications: { edges: Array<{ node: { id: string, kind: string, subjectType: NotificationSubject, subjectId: string, createdAt: string, readAt: string | null } }> } };

export type AcknowledgeCriticalAlertMutationVariables = Exact<{
  alertId: string | number;
}>;


export type AcknowledgeCriticalAlertMutation = { acknowledgeCriticalAlert: { alert: { id: string, status: CriticalAlertStatus, acknowledgedAt: string | null } } };

export type PatientCriticalAlertsQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientCriticalAlertsQuery = { patient: { criticalAlerts: Array<{ id: string, status: CriticalAlertStatus, rule: string, reason: string, escalatedAt: string | null, labResult: { testName: string, valueNumeric: number | null, unit: string | null, abnormalFlag: string | null } }> | null } };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids?: Array<string | number> | string | number | null | undefined;
  all?: boolean | null | undefined;
}>;


export type MarkNotificationsReadMutation = { markNotificationsRead: { marked: number } };

export type CriticalAlertQueryVariables = Exact<{
  id: string | number;
}>;


export type CriticalAlertQuery = { criticalAlert: { id: string, patientId: string, status: CriticalAlertStatus, rule: string, reason: string, labResult: { testName: string, valueNumeric: number | null, unit: string | null } } };

export type CriticalAlertRaisedSubscriptionVariables = Exact<{
  patientId?: string | number | null | undefined;
}>;


export type CriticalAlertRaisedSubscription = { criticalAlertRaised: { id: string, patientId: string, status: CriticalAlertStatus, rule: string, reason: string, labResult: { testName: string, valueNumeric: number | null, unit: string | null, abnormalFlag: string | null } } };

export type ProvenanceFieldsFragment = { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } };

export type RecordDiagnosisMutationVariables = Exact<{
  input: DiagnosisInput;
}>;


export type RecordDiagnosisMutation = { recordDiagnosis: { diagnosis: { id: string, icd10Code: string, diagnosisText: string, diagnosisStatus: DiagnosisStatus, categories: Array<DataCategory>, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } } } };

export type PrescribeMutationVariables = Exact<{
  input: PrescriptionInput;
}>;


export type PrescribeMutation = { prescribe: { prescription: { id: string, drugName: string, dose: string, isMoud: boolean, categories: Array<DataCategory>, homeDelivery: boolean, pharmacy: { id: string } | null, prescriber: { id: string } | null } } };

export type RecordAssessmentMutationVariables = Exact<{
  input: AssessmentInput;
}>;


export type RecordAssessmentMutation = { recordAssessment: { assessment: { id: string, instrument: AssessmentInstrument, score: number, categories: Array<DataCategory> } } };

export type RecordAttendanceMutationVariables = Exact<{
  input: AttendanceInput;
}>;


export type RecordAttendanceMutation = { recordAttendance: { attendance: { id: string, sessionType: SessionType, attendanceStatus: AttendanceStatus, sudProgram: boolean, categories: Array<DataCategory> } } };

export type UpdateCarePlanMutationVariables = Exact<{
  input: CarePlanInput;
}>;


export type UpdateCarePlanMutation = { updateCarePlan: { carePlan: { id: string, planType: CarePlanType, planText: string, categories: Array<DataCategory> } } };

export type ReportSideEffectMutationVariables = Exact<{
  input: SideEffectInput;
}>;


export type ReportSideEffectMutation = { reportSideEffect: { sideEffect: { id: string, effect: string, severity: SideEffectSeverity, prescriptionId: string | null, categories: Array<DataCategory> } } };

export type PatientViewQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientViewQuery = { patient: { id: string, givenName: string, familyName: string, birthDate: string, identifiers: Array<{ value: string, organization: { id: string, name: string } }>, enrollments: Array<{ status: EnrollmentStatus, program: { name: string }, careTeam: Array<{ teamRole: CareTeamRole, user: { displayName: string } }> }> | null, diagnoses: Array<{ id: string, icd10Code: string, diagnosisText: string, diagnosisStatus: DiagnosisStatus, categories: Array<DataCategory>, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, medications: Array<{ id: string, drugName: string, dose: string, route: string, sig: string, isMoud: boolean, categories: Array<DataCategory>, pharmacy: { name: string } | null, prescriber: { displayName: string } | null, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, assessments: Array<{ instrument: AssessmentInstrument, score: number, administeredAt: string, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, attendance: Array<{ sessionType: SessionType, sessionAt: string, attendanceStatus: AttendanceStatus, sudProgram: boolean }> | null, treatmentPlan: { planText: string, createdAt: string } | null, crisisPlan: { planText: string, createdAt: string } | null, sideEffects: Array<{ effect: string, severity: SideEffectSeverity, prescriptionId: string | null }> | null, allergies: Array<{ substance: string, reaction: string | null, criticality: AllergyCriticality | null, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, labResults: Array<{ testName: string, loincCode: string | null, valueNumeric: number | null, valueText: string | null, unit: string | null, referenceLow: number | null, referenceHigh: number | null, abnormalFlag: string | null, resultStatus: ResultStatus, effectiveAt: string | null, categories: Array<DataCategory>, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, labTrends: Array<{ test: string, unit: string | null, direction: TrendDirection, latest: { valueNumeric: number | null }, previous: { valueNumeric: number | null } | null }> | null, encounters: Array<{ encounterType: string, encounterStatus: string | null, startedAt: string | null, provenance: { system: string, recordId: string | null, receivedAt: string, inboxMessageId: string | null, organization: { id: string, name: string, kind: OrganizationKind } } }> | null } };

export type RequestConsentMutationVariables = Exact<{
  input: RequestConsentInput;
}>;


export type RequestConsentMutation = { requestConsent: { consent: { id: string, status: ConsentStatus, categories: Array<DataCategory>, purpose: Purpose, purposeStatement: string | null, recipientOrganizationIds: Array<string>, recipientUserIds: Array<string>, rightToRevoke: string } } };

export type SignConsentMutationVariables = Exact<{
  consentId: string | number;
  signedName: string;
  acknowledgeRightToRevoke: boolean;
}>;


export type SignConsentMutation = { signConsent: { consent: { id: string, status: ConsentStatus, signedName: string | null, signedAt: string | null, events: Array<{ fromStatus: ConsentStatus | null, toStatus: ConsentStatus, byUserId: string | null, createdAt: string }> } } };

export type DeclineConsentMutationVariables = Exact<{
  consentId: string | number;
}>;


export type DeclineConsentMutation = { declineConsent: { consent: { id: string, status: ConsentStatus } } };

export type RevokeConsentMutationVariables = Exact<{
  consentId: string | number;
}>;


export type RevokeConsentMutation = { revokeConsent: { consent: { id: string, status: ConsentStatus, events: Array<{ toStatus: ConsentStatus }> } } };

export type PatientConsentsQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientConsentsQuery = { patient: { consents: Array<{ id: string, status: ConsentStatus, purpose: Purpose, purposeStatement: string | null, categories: Array<DataCategory>, program: { id: string } }> | null } };

export type MyDisclosuresQueryVariables = Exact<{
  first?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type MyDisclosuresQuery = { myDisclosures: { nextCursor: string | null, items: Array<{ occurredAt: string, role: Role, categories: Array<DataCategory>, purpose: Purpose, consentId: string | null, operation: string, organization: { id: string, name: string } | null }> } };

export type BreakGlassMutationVariables = Exact<{
  patientId: string | number;
  reason: string;
}>;


export type BreakGlassMutation = { breakGlass: { access: { id: string, expiresAt: string, reason: string } } };

export type ConsentQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsentQuery = { consent: { id: string, status: ConsentStatus, purpose: Purpose, categories: Array<DataCategory>, recipientOrganizationIds: Array<string>, recipientUserIds: Array<string>, expiresAt: string | null, program: { id: string } } };

export type BreakGlassAccessQueryVariables = Exact<{
  id: string | number;
}>;


export type BreakGlassAccessQuery = { breakGlassAccess: { id: string, userId: string, organizationId: string, reason: string, expiresAt: string } };

export type FailedJobsQueryVariables = Exact<{ [key: string]: never; }>;


export type FailedJobsQuery = { failedJobs: Array<{ id: string, queue: string, jobName: string, createdAt: string, failedAt: string | null, failureReason: string | null }> };

export type RetryFailedJobMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryFailedJobMutation = { retryFailedJob: { id: string, queue: string, jobName: string, failedAt: string | null } };

export type FailedJobQueryVariables = Exact<{
  id: string | number;
}>;


export type FailedJobQuery = { failedJob: { id: string, queue: string, jobName: string, failedAt: string | null, failureReason: string | null } };

export type FailedInboundMessagesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FailedInboundMessagesQuery = { failedInboundMessages: { totalCount: number, edges: Array<{ node: { id: string, source: InboxSource, sourceOrganizationId: string | null, sourceMessageId: string | null, state: InboxState, error: string | null, receivedAt: string, processedAt: string | null } }> } };

export type ReprocessInboundMessageMutationVariables = Exact<{
  id: string | number;
}>;


export type ReprocessInboundMessageMutation = { reprocessInboundMessage: { message: { id: string, state: InboxState, error: string | null } } };

export type InboundMessageQueryVariables = Exact<{
  id: string | number;
}>;


export type InboundMessageQuery = { inboundMessage: { id: string, source: InboxSource, state: InboxState, error: string | null, receivedAt: string, pendingMatchReview: { id: string, status: MatchReviewStatus } | null } };

export type MatchReviewsQueryVariables = Exact<{
  status?: MatchReviewStatus | null | undefined;
}>;


export type MatchReviewsQuery = { matchReviews: { totalCount: number, edges: Array<{ node: { id: string, status: MatchReviewStatus, candidateIds: Array<string>, demographics: { givenName: string | null, familyName: string | null, birthDate: string | null, identifiers: Array<string> }, sourceOrganization: { id: string, name: string, kind: OrganizationKind } } }> } };

export type LinkMatchReviewMutationVariables = Exact<{
  reviewId: string | number;
  patientId: string | number;
}>;


export type LinkMatchReviewMutation = { linkMatchReview: { review: { id: string, status: MatchReviewStatus, patientId: string | null, resolvedAt: string | null } } };

export type CreatePatientFromMatchReviewMutationVariables = Exact<{
  reviewId: string | number;
}>;


export type CreatePatientFromMatchReviewMutation = { createPatientFromMatchReview: { review: { id: string, status: MatchReviewStatus, patientId: string | null } } };

export type RejectMatchReviewMutationVariables = Exact<{
  reviewId: string | number;
}>;


export type RejectMatchReviewMutation = { rejectMatchReview: { review: { id: string, status: MatchReviewStatus } } };

export type UnlinkInboundMessageMutationVariables = Exact<{
  inboxMessageId: string | number;
}>;


export type UnlinkInboundMessageMutation = { unlinkInboundMessage: { review: { id: string, status: MatchReviewStatus, candidateIds: Array<string> } } };

export type MedicationReviewQueryVariables = Exact<{
  id: string | number;
}>;


export type MedicationReviewQuery = { patient: { id: string, givenName: string, familyName: string, medicationList: Array<{ ingredient: string, discrepancies: Array<MedicationDiscrepancy>, medications: Array<{ id: string, drugName: string, dose: string, prescriptionStatus: PrescriptionStatus, provenance: { organization: { name: string, kind: OrganizationKind } } }>, decisions: Array<{ action: ReconciliationAction, note: string | null, decidedById: string, createdAt: string }> }> | null, interactionFlags: Array<{ ruleId: string, version: string, severity: string, message: string, source: string, medicationIds: Array<string> }> | null } };

export type ReconcileMedicationMutationVariables = Exact<{
  input: ReconcileMedicationInput;
}>;


export type ReconcileMedicationMutation = { reconcileMedication: { decision: { id: string, ingredient: string, action: ReconciliationAction, note: string | null, decidedById: string } } };

export type SetIdentifierSystemsMutationVariables = Exact<{
  input: SetIdentifierSystemsInput;
}>;


export type SetIdentifierSystemsMutation = { setIdentifierSystems: { organization: { id: string, identifierSystems: Array<string> } } };

export type OrganizationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  kind?: OrganizationKind | null | undefined;
}>;


export type OrganizationsQuery = { organizations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, kind: OrganizationKind } }> } };

export type CreateOrganizationMutationVariables = Exact<{
  input: CreateOrganizationInput;
}>;


export type CreateOrganizationMutation = { createOrganization: { organization: { id: string, name: string, kind: OrganizationKind } } };

export type PatientQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientQuery = { patient: { id: string, givenName: string, familyName: string, birthDate: string, city: string | null, identifiers: Array<{ value: string, organization: { id: string, name: string } }> } };

export type PatientWithCareQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientWithCareQuery = { patient: { id: string, givenName: string, enrollments: Array<{ id: string, status: EnrollmentStatus, startedAt: string, endedAt: string | null, program: { id: string, name: string }, careTeam: Array<{ teamRole: CareTeamRole, removedAt: string | null, user: { id: string, displayName: string } }> }> | null } };

export type PatientsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PatientsQuery = { patients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, givenName: string, familyName: string } }> } };

export type RegisterPatientMutationVariables = Exact<{
  input: RegisterPatientInput;
}>;


export type RegisterPatientMutation = { registerPatient: { patient: { id: string, givenName: string, familyName: string, birthDate: string }, enrollment: { id: string, status: EnrollmentStatus, careTeam: Array<{ teamRole: CareTeamRole, user: { id: string } }> } } };

export type EnrollPatientMutationVariables = Exact<{
  patientId: string | number;
}>;


export type EnrollPatientMutation = { enrollPatient: { enrollment: { id: string, status: EnrollmentStatus } } };

export type RequestEnrollmentMutationVariables = Exact<{
  programId: string | number;
}>;


export type RequestEnrollmentMutation = { requestEnrollment: { enrollment: { id: string, status: EnrollmentStatus } } };

export type EndEnrollmentMutationVariables = Exact<{
  enrollmentId: string | number;
  status: EnrollmentStatus;
}>;


export type EndEnrollmentMutation = { endEnrollment: { enrollment: { id: string, status: EnrollmentStatus, endedAt: string | null } } };

export type AddCareTeamMemberMutationVariables = Exact<{
  enrollmentId: string | number;
  userId: string | number;
  teamRole: CareTeamRole;
}>;


export type AddCareTeamMemberMutation = { addCareTeamMember: { careTeamMember: { teamRole: CareTeamRole, removedAt: string | null } } };

export type RemoveCareTeamMemberMutationVariables = Exact<{
  enrollmentId: string | number;
  userId: string | number;
}>;


export type RemoveCareTeamMemberMutation = { removeCareTeamMember: { careTeamMember: { removedAt: string | null } } };

export type AddPatientIdentifierMutationVariables = Exact<{
  input: AddPatientIdentifierInput;
}>;


export type AddPatientIdentifierMutation = { addPatientIdentifier: { identifier: { value: string, organization: { id: string, kind: OrganizationKind } } } };

export type PatientFhirBundleQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientFhirBundleQuery = { patient: { id: string, fhirBundle: unknown } };

export type EnrollmentQueryVariables = Exact<{
  id: string | number;
}>;


export type EnrollmentQuery = { enrollment: { id: string, patientId: string, status: EnrollmentStatus, startedAt: string, program: { id: string } } };

export type PrescriptionDeliveriesQueryVariables = Exact<{
  id: string | number;
}>;


export type PrescriptionDeliveriesQuery = { patient: { medications: Array<{ id: string, rxNumber: string | null, deliveries: Array<{ id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, categories: Array<DataCategory>, provenance: { organizationId: string, system: string }, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> }> | null }> | null } };

export type SetDeliveryStatusMutationVariables = Exact<{
  prescriptionId: string | number;
  input: DeliveryStatusInput;
}>;


export type SetDeliveryStatusMutation = { setDeliveryStatus: { delivery: { id: string, fillNumber: number, status: DeliveryStatus, history: Array<{ status: DeliveryStatus, origin: DeliveryEventOrigin }> } } };

export type MedicationAlertQueryVariables = Exact<{
  id: string | number;
}>;


export type MedicationAlertQuery = { medicationAlert: { id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, acknowledged: boolean, acknowledgedAt: string | null, acknowledgedById: string | null, patientId: string, prescriptionId: string, deliveryId: string | null } };

export type MyMedicationAlertsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyMedicationAlertsQuery = { myMedicationAlerts: Array<{ id: string, kind: MedicationAlertKind, urgency: AlertUrgency, patientId: string }> };

export type PatientMedicationAlertsQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientMedicationAlertsQuery = { patient: { medicationAlerts: Array<{ id: string, kind: MedicationAlertKind, urgency: AlertUrgency, acknowledged: boolean }> | null } };

export type AcknowledgeMedicationAlertMutationVariables = Exact<{
  alertId: string | number;
}>;


export type AcknowledgeMedicationAlertMutation = { acknowledgeMedicationAlert: { alert: { id: string, acknowledged: boolean, acknowledgedAt: string | null, acknowledgedById: string | null } } };

export type CreateWebhookSourceMutationVariables = Exact<{
  organizationId: string | number;
  key: string;
}>;


export type CreateWebhookSourceMutation = { createWebhookSource: { secretId: string, secret: string, source: { id: string, key: string, organizationId: string } } };

export type RotateWebhookSecretMutationVariables = Exact<{
  sourceId: string | number;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secretId: string, secret: string } };

export type RetireWebhookSecretMutationVariables = Exact<{
  secretId: string | number;
}>;


export type RetireWebhookSecretMutation = { retireWebhookSecret: { secret: { id: string, retiredAt: string | null } } };

export type DeliveryStatusChangedSubscriptionVariables = Exact<{
  patientId?: string | number | null | undefined;
}>;


export type DeliveryStatusChangedSubscription = { deliveryStatusChanged: { id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, categories: Array<DataCategory>, history: Array<{ eventId: string, status: DeliveryStatus }> } };

export type FillFieldsFragment = { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } };

export type PharmacyWorklistQueryVariables = Exact<{
  status?: DispensingStatus | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PharmacyWorklistQuery = { pharmacyWorklist: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, rxNumber: string | null, sourcePrescriptionId: string | null, drugName: string, dose: string, sig: string, quantity: number | null, refills: number, deaSchedule: DeaSchedule | null, routedAt: string | null, prescriberName: string | null, dispensingStatus: DispensingStatus, patient: { givenName: string, familyName: string, birthDate: string, phone: string | null, addressLine: string | null, city: string | null, region: string | null, postalCode: string | null }, allergies: Array<{ substance: string, reaction: string | null, criticality: AllergyCriticality | null }>, fills: Array<{ id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } }> } }> } };

export type ConfirmDispensedMutationVariables = Exact<{
  input: DispensedInput;
}>;


export type ConfirmDispensedMutation = { confirmDispensed: { dispense: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } } };

export type ConfirmPartialFillMutationVariables = Exact<{
  input: PartialFillInput;
}>;


export type ConfirmPartialFillMutation = { confirmPartialFill: { dispense: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } } };

export type ReportNotDispensedMutationVariables = Exact<{
  input: NotDispensedInput;
}>;


export type ReportNotDispensedMutation = { reportNotDispensed: { dispense: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } } };

export type ReportTransferredMutationVariables = Exact<{
  input: TransferredInput;
}>;


export type ReportTransferredMutation = { reportTransferred: { dispense: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } } };

export type DispenseQueryVariables = Exact<{
  id: string | number;
}>;


export type DispenseQuery = { dispense: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } };

export type MedicationFillsQueryVariables = Exact<{
  id: string | number;
}>;


export type MedicationFillsQuery = { patient: { medicationList: Array<{ ingredient: string, medications: Array<{ id: string }>, fills: Array<{ id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } }>, adherence: { proportionOfDaysCovered: number | null, windowStart: string | null, windowEnd: string, daysInWindow: number, daysCovered: number, nextFillDue: string | null, daysLate: number | null, refillLate: boolean } }> | null } };

export type FillRecordedSubscriptionVariables = Exact<{
  patientId?: string | number | null | undefined;
}>;


export type FillRecordedSubscription = { fillRecorded: { id: string, drugName: string, prescriptionId: string | null, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, categories: Array<DataCategory>, transferredTo: { id: string } | null, provenance: { organizationId: string } } };

export type AdminOrganizationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  kind?: OrganizationKind | null | undefined;
}>;


export type AdminOrganizationsQuery = { organizations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: OrganizationKind, createdAt: string } }> } };

export type AdminOrganizationQueryVariables = Exact<{
  id: string | number;
}>;


export type AdminOrganizationQuery = { organization: { id: string, name: string, kind: OrganizationKind, createdAt: string } };

export type AdminCreateOrganizationMutationVariables = Exact<{
  input: CreateOrganizationInput;
}>;


export type AdminCreateOrganizationMutation = { createOrganization: { organization: { id: string, name: string, kind: OrganizationKind, createdAt: string } } };

export type AdminOrganizationEndpointQueryVariables = Exact<{
  organizationId: string | number;
}>;


export type AdminOrganizationEndpointQuery = { organizationEndpoint: { id: string, url: string, setAt: string, previousSecretUntil: string | null } | null };

export type AdminSetOrganizationEndpointMutationVariables = Exact<{
  input: SetOrganizationEndpointInput;
}>;


export type AdminSetOrganizationEndpointMutation = { setOrganizationEndpoint: { secret: string, endpoint: { id: string, url: string, setAt: string, previousSecretUntil: string | null } } };

export type AdminRemoveOrganizationEndpointMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type AdminRemoveOrganizationEndpointMutation = { removeOrganizationEndpoint: { removed: boolean } };

export type AdminUsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminUsersQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, email: string, displayName: string, active: boolean, createdAt: string, memberships: Array<{ id: string, role: Role, active: boolean, organization: { id: string, name: string } }> } }> } };

export type AdminCreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type AdminCreateUserMutation = { createUser: { user: { id: string, email: string, displayName: string } } };

export type AdminSetMembershipActiveMutationVariables = Exact<{
  membershipId: string | number;
  active: boolean;
}>;


export type AdminSetMembershipActiveMutation = { setMembershipActive: { membership: { id: string, role: Role, active: boolean } } };

export type AdminWebhookSourcesQueryVariables = Exact<{
  organizationId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminWebhookSourcesQuery = { webhookSources: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, key: string, createdAt: string, organization: { id: string, name: string }, secrets: Array<{ id: string, createdAt: string, retiredAt: string | null }> } }> } };

export type AdminCreateWebhookSourceMutationVariables = Exact<{
  organizationId: string | number;
  key: string;
}>;


export type AdminCreateWebhookSourceMutation = { createWebhookSource: { secretId: string, secret: string, source: { id: string, key: string } } };

export type AdminRotateWebhookSecretMutationVariables = Exact<{
  sourceId: string | number;
}>;


export type AdminRotateWebhookSecretMutation = { rotateWebhookSecret: { secretId: string, secret: string, source: { id: string, key: string } } };

export type AdminRetireWebhookSecretMutationVariables = Exact<{
  secretId: string | number;
}>;


export type AdminRetireWebhookSecretMutation = { retireWebhookSecret: { secret: { id: string, retiredAt: string | null } } };

export type AdminFailedInboundMessagesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminFailedInboundMessagesQuery = { failedInboundMessages: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, source: InboxSource, state: InboxState, error: string | null, receivedAt: string, processedAt: string | null } }> } };

export type AdminReprocessInboundMessageMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminReprocessInboundMessageMutation = { reprocessInboundMessage: { message: { id: string, state: InboxState, error: string | null } } };

export type AdminFailedJobsQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminFailedJobsQuery = { failedJobs: Array<{ id: string, queue: string, jobName: string, createdAt: string, failedAt: string | null, failureReason: string | null }> };

export type AdminRetryFailedJobMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminRetryFailedJobMutation = { retryFailedJob: { id: string, queue: string, jobName: string, failedAt: string | null } };

export type IopHomeQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type IopHomeQuery = { patients: { totalCount: number, edges: Array<{ node: { id: string, givenName: string, familyName: string, birthDate: string, medicationList: Array<{ ingredient: string, discrepancies: Array<MedicationDiscrepancy> }> | null } }> } };

export type IopCriticalAlertFieldsFragment = { id: string, patientId: string, status: CriticalAlertStatus, reason: string, escalatedAt: string | null, acknowledgedAt: string | null, labResult: { testName: string, valueNumeric: number | null, unit: string | null, abnormalFlag: string | null } };

export type IopCriticalAlertsQueryVariables = Exact<{ [key: string]: never; }>;


export type IopCriticalAlertsQuery = { myCriticalAlerts: Array<{ id: string, patientId: string, status: CriticalAlertStatus, reason: string, escalatedAt: string | null, acknowledgedAt: string | null, labResult: { testName: string, valueNumeric: number | null, unit: string | null, abnormalFlag: string | null } }> };

export type IopCriticalAlertQueryVariables = Exact<{
  id: string | number;
}>;


export type IopCriticalAlertQuery = { criticalAlert: { id: string, patientId: string, status: CriticalAlertStatus, reason: string, escalatedAt: string | null, acknowledgedAt: string | null, labResult: { testName: string, valueNumeric: number | null, unit: string | null, abnormalFlag: string | null } } };

export type IopPatientConsentsQueryVariables = Exact<{
  id: string | number;
}>;


export type IopPatientConsentsQuery = { patient: { id: string, givenName: string, familyName: string, consents: Array<{ id: string, status: ConsentStatus, purpose: Purpose, categories: Array<DataCategory>, recipientOrganizationIds: Array<string>, startsAt: string, expiresAt: string | null, expiryEvent: ConsentExpiryEvent | null, signedAt: string | null, createdAt: string }> | null } };

export type MyRecordQueryVariables = Exact<{ [key: string]: never; }>;


export type MyRecordQuery = { patients: { edges: Array<{ node: { id: string, givenName: string, familyName: string } }> } };

export type MyRecordConsentsQueryVariables = Exact<{
  id: string | number;
}>;


export type MyRecordConsentsQuery = { patient: { id: string, consents: Array<{ id: string, status: ConsentStatus, purpose: Purpose, purposeStatement: string | null, categories: Array<DataCategory>, createdAt: string, startsAt: string, expiresAt: string | null, expiryEvent: ConsentExpiryEvent | null, signedAt: string | null, signedName: string | null, rightToRevoke: string, program: { id: string, name: string }, recipientOrganizations: Array<{ id: string, name: string, kind: OrganizationKind }> }> | null } };

export type MyRecordConsentDocumentQueryVariables = Exact<{
  id: string | number;
}>;


export type MyRecordConsentDocumentQuery = { consent: { id: string, documentPdf: string | null } };

export type MyRecordSignConsentMutationVariables = Exact<{
  consentId: string | number;
  signedName: string;
  acknowledgeRightToRevoke: boolean;
}>;


export type MyRecordSignConsentMutation = { signConsent: { consent: { id: string, status: ConsentStatus, signedAt: string | null } } };

export type MyRecordDeclineConsentMutationVariables = Exact<{
  consentId: string | number;
}>;


export type MyRecordDeclineConsentMutation = { declineConsent: { consent: { id: string, status: ConsentStatus } } };

export type MyRecordRevokeConsentMutationVariables = Exact<{
  consentId: string | number;
}>;


export type MyRecordRevokeConsentMutation = { revokeConsent: { consent: { id: string, status: ConsentStatus } } };

export type MyRecordDisclosuresQueryVariables = Exact<{
  before?: string | null | undefined;
}>;


export type MyRecordDisclosuresQuery = { myDisclosures: { nextCursor: string | null, otherProgramsCount: number, items: Array<{ id: string, occurredAt: string, role: Role, categories: Array<DataCategory>, purpose: Purpose, operation: string, consentId: string | null, organization: { id: string, name: string } | null }> } };

export type SummaryDeliveryFragment = { id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, lateAfter: string | null, categories: Array<DataCategory> };

export type SummaryDispenseFragment = { id: string, prescriptionId: string | null, drugName: string, fillNumber: number, fillStatus: FillStatus, dispensedOn: string | null, dispensedQuantity: number | null, daysSupply: number | null, categories: Array<DataCategory>, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } } };

export type SummaryMedicationGroupFragment = { ingredient: string, discrepancies: Array<MedicationDiscrepancy>, adherence: { proportionOfDaysCovered: number | null, daysLate: number | null, refillLate: boolean, nextFillDue: string | null }, medications: Array<{ id: string, drugName: string, dose: string, sig: string, route: string, isMoud: boolean, prescriptionStatus: PrescriptionStatus, categories: Array<DataCategory>, pharmacy: { id: string, name: string } | null, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } }, deliveries: Array<{ id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, lateAfter: string | null, categories: Array<DataCategory> }> | null }>, fills: Array<{ id: string, prescriptionId: string | null, drugName: string, fillNumber: number, fillStatus: FillStatus, dispensedOn: string | null, dispensedQuantity: number | null, daysSupply: number | null, categories: Array<DataCategory> }> };

export type SummaryLabTrendFragment = { test: string, unit: string | null, loincCode: string | null, direction: TrendDirection, latest: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null, categories: Array<DataCategory> }, points: Array<{ id: string, valueNumeric: number | null, effectiveAt: string | null, abnormalFlag: string | null }> };

export type SummaryCriticalAlertFragment = { id: string, patientId: string, status: CriticalAlertStatus, reason: string, createdAt: string, acknowledgedAt: string | null, labResult: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null } };

export type SummaryReferralFragment = { id: string, patientId: string, status: ReferralStatus, urgency: ReferralUrgency, requestedService: string, reason: string, sentAt: string | null, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string } };

export type PatientSummaryQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientSummaryQuery = { patient: { id: string, givenName: string, familyName: string, birthDate: string, diagnoses: Array<{ id: string, icd10Code: string, diagnosisText: string, diagnosisStatus: DiagnosisStatus, onsetDate: string | null, categories: Array<DataCategory>, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } } }> | null, allergies: Array<{ id: string, substance: string, reaction: string | null, criticality: AllergyCriticality | null, categories: Array<DataCategory> }> | null, medicationList: Array<{ ingredient: string, discrepancies: Array<MedicationDiscrepancy>, adherence: { proportionOfDaysCovered: number | null, daysLate: number | null, refillLate: boolean, nextFillDue: string | null }, medications: Array<{ id: string, drugName: string, dose: string, sig: string, route: string, isMoud: boolean, prescriptionStatus: PrescriptionStatus, categories: Array<DataCategory>, pharmacy: { id: string, name: string } | null, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } }, deliveries: Array<{ id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, lateAfter: string | null, categories: Array<DataCategory> }> | null }>, fills: Array<{ id: string, prescriptionId: string | null, drugName: string, fillNumber: number, fillStatus: FillStatus, dispensedOn: string | null, dispensedQuantity: number | null, daysSupply: number | null, categories: Array<DataCategory> }> }> | null, interactionFlags: Array<{ ruleId: string, severity: string, message: string, medicationIds: Array<string>, source: string }> | null, labTrends: Array<{ test: string, unit: string | null, loincCode: string | null, direction: TrendDirection, latest: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null, categories: Array<DataCategory> }, points: Array<{ id: string, valueNumeric: number | null, effectiveAt: string | null, abnormalFlag: string | null }> }> | null, criticalAlerts: Array<{ id: string, patientId: string, status: CriticalAlertStatus, reason: string, createdAt: string, acknowledgedAt: string | null, labResult: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null } }> | null, assessments: Array<{ id: string, instrument: AssessmentInstrument, score: number, administeredAt: string, categories: Array<DataCategory> }> | null, crisisPlan: { id: string, planText: string, createdAt: string, categories: Array<DataCategory>, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } } } | null, treatmentPlan: { id: string, planText: string, createdAt: string, categories: Array<DataCategory> } | null } };

export type PatientSummaryMedicationsQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientSummaryMedicationsQuery = { patient: { id: string, medicationList: Array<{ ingredient: string, discrepancies: Array<MedicationDiscrepancy>, adherence: { proportionOfDaysCovered: number | null, daysLate: number | null, refillLate: boolean, nextFillDue: string | null }, medications: Array<{ id: string, drugName: string, dose: string, sig: string, route: string, isMoud: boolean, prescriptionStatus: PrescriptionStatus, categories: Array<DataCategory>, pharmacy: { id: string, name: string } | null, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } }, deliveries: Array<{ id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, lateAfter: string | null, categories: Array<DataCategory> }> | null }>, fills: Array<{ id: string, prescriptionId: string | null, drugName: string, fillNumber: number, fillStatus: FillStatus, dispensedOn: string | null, dispensedQuantity: number | null, daysSupply: number | null, categories: Array<DataCategory> }> }> | null, interactionFlags: Array<{ ruleId: string, severity: string, message: string, medicationIds: Array<string>, source: string }> | null } };

export type PatientSummaryLabsQueryVariables = Exact<{
  id: string | number;
}>;


export type PatientSummaryLabsQuery = { patient: { id: string, labTrends: Array<{ test: string, unit: string | null, loincCode: string | null, direction: TrendDirection, latest: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null, categories: Array<DataCategory> }, points: Array<{ id: string, valueNumeric: number | null, effectiveAt: string | null, abnormalFlag: string | null }> }> | null, criticalAlerts: Array<{ id: string, patientId: string, status: CriticalAlertStatus, reason: string, createdAt: string, acknowledgedAt: string | null, labResult: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null } }> | null } };

export type PatientSummaryReferralsSentQueryVariables = Exact<{
  patientId: string | number;
}>;


export type PatientSummaryReferralsSentQuery = { referralsSent: { totalCount: number, edges: Array<{ node: { id: string, patientId: string, status: ReferralStatus, urgency: ReferralUrgency, requestedService: string, reason: string, sentAt: string | null, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string } } }> } };

export type PatientSummaryReferralsReceivedQueryVariables = Exact<{
  patientId: string | number;
}>;


export type PatientSummaryReferralsReceivedQuery = { referralsReceived: { totalCount: number, edges: Array<{ node: { id: string, patientId: string, status: ReferralStatus, urgency: ReferralUrgency, requestedService: string, reason: string, sentAt: string | null, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string } } }> } };

export type PatientSummaryFillRecordedSubscriptionVariables = Exact<{
  patientId: string | number;
}>;


export type PatientSummaryFillRecordedSubscription = { fillRecorded: { id: string, prescriptionId: string | null, drugName: string, fillNumber: number, fillStatus: FillStatus, dispensedOn: string | null, dispensedQuantity: number | null, daysSupply: number | null, categories: Array<DataCategory>, provenance: { system: string, receivedAt: string, organization: { id: string, name: string, kind: OrganizationKind } } } };

export type PatientSummaryDeliveryChangedSubscriptionVariables = Exact<{
  patientId: string | number;
}>;


export type PatientSummaryDeliveryChangedSubscription = { deliveryStatusChanged: { id: string, prescriptionId: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, lateAfter: string | null, categories: Array<DataCategory> } };

export type PatientSummaryCriticalAlertRaisedSubscriptionVariables = Exact<{
  patientId: string | number;
}>;


export type PatientSummaryCriticalAlertRaisedSubscription = { criticalAlertRaised: { id: string, patientId: string, status: CriticalAlertStatus, reason: string, createdAt: string, acknowledgedAt: string | null, labResult: { id: string, testName: string, valueNumeric: number | null, valueText: string | null, unit: string | null, abnormalFlag: string | null, referenceLow: number | null, referenceHigh: number | null, effectiveAt: string | null } } };

export type PatientSummaryReferralUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PatientSummaryReferralUpdatedSubscription = { referralUpdated: { id: string, patientId: string, status: ReferralStatus, urgency: ReferralUrgency, requestedService: string, reason: string, sentAt: string | null, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string } } };

export type PcpPatientsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  name?: string | null | undefined;
}>;


export type PcpPatientsQuery = { patients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, givenName: string, familyName: string, birthDate: string } }> } };

export type PortalPharmacyFillFragment = { id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null };

export type PortalPharmacyDeliveryFragment = { id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> };

export type PortalPharmacyAlertFragment = { id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, createdAt: string, acknowledged: boolean, pharmacyAcknowledgedAt: string | null };

export type PortalPharmacyItemFragment = { id: string, rxNumber: string | null, sourcePrescriptionId: string | null, drugName: string, dose: string, route: string, sig: string, quantity: number | null, refills: number, deaSchedule: DeaSchedule | null, homeDelivery: boolean, routedAt: string | null, prescriberName: string | null, dispensingStatus: DispensingStatus, prescriptionStatus: PrescriptionStatus, stopReason: string | null, patient: { givenName: string, familyName: string, birthDate: string, phone: string | null, addressLine: string | null, city: string | null, region: string | null, postalCode: string | null }, allergies: Array<{ substance: string, reaction: string | null, criticality: AllergyCriticality | null }>, fills: Array<{ id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null }>, deliveries: Array<{ id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> }>, alerts: Array<{ id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, createdAt: string, acknowledged: boolean, pharmacyAcknowledgedAt: string | null }> };

export type PortalPharmacyWorklistQueryVariables = Exact<{
  status?: DispensingStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PortalPharmacyWorklistQuery = { pharmacyWorklist: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, rxNumber: string | null, sourcePrescriptionId: string | null, drugName: string, dose: string, quantity: number | null, deaSchedule: DeaSchedule | null, homeDelivery: boolean, routedAt: string | null, dispensingStatus: DispensingStatus, prescriptionStatus: PrescriptionStatus, patient: { givenName: string, familyName: string, birthDate: string }, alerts: Array<{ id: string, urgency: AlertUrgency, pharmacyAcknowledgedAt: string | null }> } }> } };

export type PortalPharmacyPrescriptionQueryVariables = Exact<{
  id: string | number;
}>;


export type PortalPharmacyPrescriptionQuery = { pharmacyPrescription: { id: string, rxNumber: string | null, sourcePrescriptionId: string | null, drugName: string, dose: string, route: string, sig: string, quantity: number | null, refills: number, deaSchedule: DeaSchedule | null, homeDelivery: boolean, routedAt: string | null, prescriberName: string | null, dispensingStatus: DispensingStatus, prescriptionStatus: PrescriptionStatus, stopReason: string | null, patient: { givenName: string, familyName: string, birthDate: string, phone: string | null, addressLine: string | null, city: string | null, region: string | null, postalCode: string | null }, allergies: Array<{ substance: string, reaction: string | null, criticality: AllergyCriticality | null }>, fills: Array<{ id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null }>, deliveries: Array<{ id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> }>, alerts: Array<{ id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, createdAt: string, acknowledged: boolean, pharmacyAcknowledgedAt: string | null }> } };

export type PortalPharmacyWorklistChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PortalPharmacyWorklistChangedSubscription = { pharmacyWorklistChanged: { id: string, rxNumber: string | null, sourcePrescriptionId: string | null, drugName: string, dose: string, route: string, sig: string, quantity: number | null, refills: number, deaSchedule: DeaSchedule | null, homeDelivery: boolean, routedAt: string | null, prescriberName: string | null, dispensingStatus: DispensingStatus, prescriptionStatus: PrescriptionStatus, stopReason: string | null, patient: { givenName: string, familyName: string, birthDate: string, phone: string | null, addressLine: string | null, city: string | null, region: string | null, postalCode: string | null }, allergies: Array<{ substance: string, reaction: string | null, criticality: AllergyCriticality | null }>, fills: Array<{ id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null }>, deliveries: Array<{ id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> }>, alerts: Array<{ id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, createdAt: string, acknowledged: boolean, pharmacyAcknowledgedAt: string | null }> } };

export type PortalPharmacyConfirmDispensedMutationVariables = Exact<{
  input: DispensedInput;
}>;


export type PortalPharmacyConfirmDispensedMutation = { confirmDispensed: { dispense: { id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null } } };

export type PortalPharmacyConfirmPartialFillMutationVariables = Exact<{
  input: PartialFillInput;
}>;


export type PortalPharmacyConfirmPartialFillMutation = { confirmPartialFill: { dispense: { id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null } } };

export type PortalPharmacyReportNotDispensedMutationVariables = Exact<{
  input: NotDispensedInput;
}>;


export type PortalPharmacyReportNotDispensedMutation = { reportNotDispensed: { dispense: { id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null } } };

export type PortalPharmacyReportTransferredMutationVariables = Exact<{
  input: TransferredInput;
}>;


export type PortalPharmacyReportTransferredMutation = { reportTransferred: { dispense: { id: string, fillNumber: number, fillStatus: FillStatus, dispensedQuantity: number | null, remainingQuantity: number | null, daysSupply: number | null, ndc: string | null, lotNumber: string | null, dispensedOn: string | null, notDispensedReason: NotDispensedReason | null, note: string | null, transferredTo: { id: string, name: string } | null } } };

export type PortalPharmacySetDeliveryStatusMutationVariables = Exact<{
  prescriptionId: string | number;
  input: DeliveryStatusInput;
}>;


export type PortalPharmacySetDeliveryStatusMutation = { setDeliveryStatus: { delivery: { id: string, fillNumber: number, status: DeliveryStatus, statusOccurredAt: string, shipment: unknown, signature: unknown, reason: unknown, lateAfter: string | null, history: Array<{ eventId: string, status: DeliveryStatus, occurredAt: string, origin: DeliveryEventOrigin }> } } };

export type PortalPharmacyAcknowledgeAlertMutationVariables = Exact<{
  alertId: string | number;
}>;


export type PortalPharmacyAcknowledgeAlertMutation = { acknowledgeMedicationAlertForPharmacy: { alert: { id: string, kind: MedicationAlertKind, urgency: AlertUrgency, reason: string, createdAt: string, acknowledged: boolean, pharmacyAcknowledgedAt: string | null } } };

export type PortalPharmacyPharmaciesQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type PortalPharmacyPharmaciesQuery = { organizations: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string } }> } };

export type PortalReferralListFieldsFragment = { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, patientId: string, sentAt: string | null, appointmentAt: string | null, recipientOrganization: { id: string, name: string }, senderOrganization: { id: string, name: string } };

export type PortalReferralsSentQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PortalReferralsSentQuery = { referralsSent: { totalCount: number, edges: Array<{ node: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, patientId: string, sentAt: string | null, appointmentAt: string | null, recipientOrganization: { id: string, name: string }, senderOrganization: { id: string, name: string } } }> } };

export type PortalReferralsReceivedQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PortalReferralsReceivedQuery = { referralsReceived: { totalCount: number, edges: Array<{ node: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, patientId: string, sentAt: string | null, appointmentAt: string | null, recipientOrganization: { id: string, name: string }, senderOrganization: { id: string, name: string } } }> } };

export type PortalReferralPatientQueryVariables = Exact<{
  id: string | number;
}>;


export type PortalReferralPatientQuery = { patient: { id: string, givenName: string, familyName: string, birthDate: string } };

export type PrescribeToPharmacyMutationVariables = Exact<{
  input: PrescriptionInput;
}>;


export type PrescribeToPharmacyMutation = { prescribe: { prescription: { id: string, rxNumber: string | null, routing: PrescriptionRouting | null, routedAt: string | null, isMoud: boolean, categories: Array<DataCategory>, prescriptionStatus: PrescriptionStatus, pharmacy: { id: string } | null } } };

export type CancelPrescriptionMutationVariables = Exact<{
  input: CancelPrescriptionInput;
}>;


export type CancelPrescriptionMutation = { cancelPrescription: { prescription: { id: string, rxNumber: string | null, routing: PrescriptionRouting | null, prescriptionStatus: PrescriptionStatus, stoppedAt: string | null, stopReason: string | null } } };

export type PrescriptionRoutingQueryVariables = Exact<{
  id: string | number;
}>;


export type PrescriptionRoutingQuery = { prescription: { id: string, rxNumber: string | null, routing: PrescriptionRouting | null, routedAt: string | null, prescriptionStatus: PrescriptionStatus, pharmacyDispatches: Array<{ id: string, kind: PharmacyDispatchKind, status: WebhookDeliveryStatus, attempts: number, lastResponseStatus: number | null, deliveredAt: string | null, failedAt: string | null }> } };

export type SetOrganizationEndpointMutationVariables = Exact<{
  input: SetOrganizationEndpointInput;
}>;


export type SetOrganizationEndpointMutation = { setOrganizationEndpoint: { secret: string, endpoint: { id: string, url: string, setAt: string, previousSecretUntil: string | null, organization: { id: string } } } };

export type RemoveOrganizationEndpointMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type RemoveOrganizationEndpointMutation = { removeOrganizationEndpoint: { removed: boolean } };

export type OrganizationEndpointQueryVariables = Exact<{
  organizationId: string | number;
}>;


export type OrganizationEndpointQuery = { organizationEndpoint: { id: string, url: string, setAt: string } | null };

export type ReferralLetterQueryVariables = Exact<{
  referralId: string | number;
  version?: number | null | undefined;
}>;


export type ReferralLetterQuery = { referralLetter: { id: string, referralId: string, version: number, sha256: string, pdf: string, createdAt: string, deliveredToInboxAt: string | null, status: WebhookDeliveryStatus, attempts: number, lastResponseStatus: number | null, deliveredAt: string | null, failedAt: string | null } };

export type ReferralUpdatedSubscriptionVariables = Exact<{
  referralId?: string | number | null | undefined;
}>;


export type ReferralUpdatedSubscription = { referralUpdated: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, patientId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, createdAt: string }> } };

export type ReferralFieldsFragment = { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> };

type PacketRecordFields_Allergy_Fragment = { __typename: 'Allergy', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Assessment_Fragment = { __typename: 'Assessment', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Attendance_Fragment = { __typename: 'Attendance', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_CarePlan_Fragment = { __typename: 'CarePlan', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Diagnosis_Fragment = { __typename: 'Diagnosis', icd10Code: string, diagnosisText: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Dispense_Fragment = { __typename: 'Dispense', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Encounter_Fragment = { __typename: 'Encounter', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_LabOrder_Fragment = { __typename: 'LabOrder', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_LabResult_Fragment = { __typename: 'LabResult', testName: string, valueNumeric: number | null, unit: string | null, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_Prescription_Fragment = { __typename: 'Prescription', drugName: string, dose: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

type PacketRecordFields_SideEffect_Fragment = { __typename: 'SideEffect', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } };

export type PacketRecordFieldsFragment =
  | PacketRecordFields_Allergy_Fragment
  | PacketRecordFields_Assessment_Fragment
  | PacketRecordFields_Attendance_Fragment
  | PacketRecordFields_CarePlan_Fragment
  | PacketRecordFields_Diagnosis_Fragment
  | PacketRecordFields_Dispense_Fragment
  | PacketRecordFields_Encounter_Fragment
  | PacketRecordFields_LabOrder_Fragment
  | PacketRecordFields_LabResult_Fragment
  | PacketRecordFields_Prescription_Fragment
  | PacketRecordFields_SideEffect_Fragment
;

export type CreateReferralMutationVariables = Exact<{
  input: CreateReferralInput;
}>;


export type CreateReferralMutation = { createReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type UpdateReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  input: UpdateReferralInput;
}>;


export type UpdateReferralMutation = { updateReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type ReferralPacketPreviewQueryVariables = Exact<{
  id: string | number;
}>;


export type ReferralPacketPreviewQuery = { referralPacketPreview: { nothingIncluded: boolean, records: Array<
      | { __typename: 'Allergy', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Assessment', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Attendance', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'CarePlan', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Diagnosis', icd10Code: string, diagnosisText: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Dispense', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Encounter', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'LabOrder', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'LabResult', testName: string, valueNumeric: number | null, unit: string | null, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'Prescription', drugName: string, dose: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      | { __typename: 'SideEffect', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
    >, withheld: Array<{ category: DataCategory, reason: string }>, consentNeeded: { patientId: string, recipientOrganizationId: string, categories: Array<DataCategory> } | null } };

export type SendReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
}>;


export type SendReferralMutation = { sendReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type CancelReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  reason: string;
}>;


export type CancelReferralMutation = { cancelReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type ReceiveReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
}>;


export type ReceiveReferralMutation = { receiveReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type AcceptReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
}>;


export type AcceptReferralMutation = { acceptReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type RejectReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  reason: string;
}>;


export type RejectReferralMutation = { rejectReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type ScheduleReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  at: string;
  place: string;
}>;


export type ScheduleReferralMutation = { scheduleReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type CompleteReferralMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  consultNote?: string | null | undefined;
  consultNotePdfBase64?: string | null | undefined;
}>;


export type CompleteReferralMutation = { completeReferral: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type MarkReferralNoShowMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
}>;


export type MarkReferralNoShowMutation = { markReferralNoShow: { referral: { id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } } };

export type ReferralQueryVariables = Exact<{
  id: string | number;
}>;


export type ReferralQuery = { referral: { consultNotePdfBase64: string | null, id: string, status: ReferralStatus, version: number, urgency: ReferralUrgency, requestedService: string, reason: string, clinicalQuestion: string, requestedCategories: Array<DataCategory>, patientId: string, senderUserId: string, appointmentAt: string | null, appointmentPlace: string | null, statusReason: string | null, consultNote: string | null, consultRecordId: string | null, failureReasonCode: string | null, sentAt: string | null, letterVersion: number, packet: { includesSud: boolean, letterVersion: number, sentAt: string, patient: { id: string, givenName: string, familyName: string, birthDate: string }, records: Array<
        | { __typename: 'Allergy', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Assessment', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Attendance', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'CarePlan', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Diagnosis', icd10Code: string, diagnosisText: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Dispense', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Encounter', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'LabOrder', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'LabResult', testName: string, valueNumeric: number | null, unit: string | null, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'Prescription', drugName: string, dose: string, id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
        | { __typename: 'SideEffect', id: string, kind: ClinicalRecordKind, categories: Array<DataCategory>, supersededAt: string | null, provenance: { organizationId: string, system: string } }
      >, withheld: Array<{ category: DataCategory, reason: string }> } | null, senderOrganization: { id: string, name: string }, recipientOrganization: { id: string, name: string }, timeline: Array<{ fromStatus: ReferralStatus | null, toStatus: ReferralStatus, actorUserId: string | null, organizationId: string | null, createdAt: string, note: string | null, appointmentAt: string | null, appointmentPlace: string | null }> } };

export type ReferralsSentQueryVariables = Exact<{
  status?: ReferralStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReferralsSentQuery = { referralsSent: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: ReferralStatus, version: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ReferralsReceivedQueryVariables = Exact<{
  status?: ReferralStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReferralsReceivedQuery = { referralsReceived: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: ReferralStatus, version: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ReferralConsultInViewQueryVariables = Exact<{
  id: string | number;
}>;


export type ReferralConsultInViewQuery = { patient: { encounters: Array<{ id: string, encounterType: string, encounterStatus: string | null, startedAt: string | null, summary: string | null, categories: Array<DataCategory>, provenance: { organizationId: string, system: string, recordId: string | null, organization: { name: string, kind: OrganizationKind } } }> | null } };

export type AddMembershipMutationVariables = Exact<{
  userId: string | number;
  input: MembershipInput;
}>;


export type AddMembershipMutation = { addMembership: { membership: { id: string, role: Role, active: boolean } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, displayName: string, memberships: Array<{ id: string, role: Role, active: boolean, organization: { id: string, name: string, kind: OrganizationKind } }> } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { user: { id: string, email: string, displayName: string } } };

export type SetMembershipActiveMutationVariables = Exact<{
  membershipId: string | number;
  active: boolean;
}>;


export type SetMembershipActiveMutation = { setMembershipActive: { membership: { id: string, active: boolean } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ProvenanceFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProvenanceFields on Provenance {
  system
  recordId
  receivedAt
  inboxMessageId
  organization {
    id
    name
    kind
  }
}
    `, {"fragmentName":"ProvenanceFields"}) as unknown as TypedDocumentString<ProvenanceFieldsFragment, unknown>;
export const FillFieldsFragmentDoc = new TypedDocumentString(`
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}
    `, {"fragmentName":"FillFields"}) as unknown as TypedDocumentString<FillFieldsFragment, unknown>;
export const IopCriticalAlertFieldsFragmentDoc = new TypedDocumentString(`
    fragment IopCriticalAlertFields on CriticalAlert {
  id
  patientId
  status
  reason
  escalatedAt
  acknowledgedAt
  labResult {
    testName
    valueNumeric
    unit
    abnormalFlag
  }
}
    `, {"fragmentName":"IopCriticalAlertFields"}) as unknown as TypedDocumentString<IopCriticalAlertFieldsFragment, unknown>;
export const SummaryDeliveryFragmentDoc = new TypedDocumentString(`
    fragment SummaryDelivery on Delivery {
  id
  prescriptionId
  fillNumber
  status
  statusOccurredAt
  lateAfter
  categories
}
    `, {"fragmentName":"SummaryDelivery"}) as unknown as TypedDocumentString<SummaryDeliveryFragment, unknown>;
export const SummaryDispenseFragmentDoc = new TypedDocumentString(`
    fragment SummaryDispense on Dispense {
  id
  prescriptionId
  drugName
  fillNumber
  fillStatus
  dispensedOn
  dispensedQuantity
  daysSupply
  categories
  provenance {
    system
    receivedAt
    organization {
      id
      name
      kind
    }
  }
}
    `, {"fragmentName":"SummaryDispense"}) as unknown as TypedDocumentString<SummaryDispenseFragment, unknown>;
export const SummaryMedicationGroupFragmentDoc = new TypedDocumentString(`
    fragment SummaryMedicationGroup on MedicationGroup {
  ingredient
  discrepancies
  adherence {
    proportionOfDaysCovered
    daysLate
    refillLate
    nextFillDue
  }
  medications {
    id
    drugName
    dose
    sig
    route
    isMoud
    prescriptionStatus
    categories
    pharmacy {
      id
      name
    }
    provenance {
      system
      receivedAt
      organization {
        id
        name
        kind
      }
    }
    deliveries {
      id
      prescriptionId
      fillNumber
      status
      statusOccurredAt
      lateAfter
      categories
    }
  }
  fills {
    id
    prescriptionId
    drugName
    fillNumber
    fillStatus
    dispensedOn
    dispensedQuantity
    daysSupply
    categories
  }
}
    `, {"fragmentName":"SummaryMedicationGroup"}) as unknown as TypedDocumentString<SummaryMedicationGroupFragment, unknown>;
export const SummaryLabTrendFragmentDoc = new TypedDocumentString(`
    fragment SummaryLabTrend on LabTrend {
  test
  unit
  loincCode
  direction
  latest {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
    categories
  }
  points {
    id
    valueNumeric
    effectiveAt
    abnormalFlag
  }
}
    `, {"fragmentName":"SummaryLabTrend"}) as unknown as TypedDocumentString<SummaryLabTrendFragment, unknown>;
export const SummaryCriticalAlertFragmentDoc = new TypedDocumentString(`
    fragment SummaryCriticalAlert on CriticalAlert {
  id
  patientId
  status
  reason
  createdAt
  acknowledgedAt
  labResult {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
  }
}
    `, {"fragmentName":"SummaryCriticalAlert"}) as unknown as TypedDocumentString<SummaryCriticalAlertFragment, unknown>;
export const SummaryReferralFragmentDoc = new TypedDocumentString(`
    fragment SummaryReferral on Referral {
  id
  patientId
  status
  urgency
  requestedService
  reason
  sentAt
  appointmentAt
  appointmentPlace
  statusReason
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
}
    `, {"fragmentName":"SummaryReferral"}) as unknown as TypedDocumentString<SummaryReferralFragment, unknown>;
export const PortalPharmacyFillFragmentDoc = new TypedDocumentString(`
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}
    `, {"fragmentName":"PortalPharmacyFill"}) as unknown as TypedDocumentString<PortalPharmacyFillFragment, unknown>;
export const PortalPharmacyDeliveryFragmentDoc = new TypedDocumentString(`
    fragment PortalPharmacyDelivery on Delivery {
  id
  fillNumber
  status
  statusOccurredAt
  shipment
  signature
  reason
  lateAfter
  history {
    eventId
    status
    occurredAt
    origin
  }
}
    `, {"fragmentName":"PortalPharmacyDelivery"}) as unknown as TypedDocumentString<PortalPharmacyDeliveryFragment, unknown>;
export const PortalPharmacyAlertFragmentDoc = new TypedDocumentString(`
    fragment PortalPharmacyAlert on MedicationAlert {
  id
  kind
  urgency
  reason
  createdAt
  acknowledged
  pharmacyAcknowledgedAt
}
    `, {"fragmentName":"PortalPharmacyAlert"}) as unknown as TypedDocumentString<PortalPharmacyAlertFragment, unknown>;
export const PortalPharmacyItemFragmentDoc = new TypedDocumentString(`
    fragment PortalPharmacyItem on WorklistItem {
  id
  rxNumber
  sourcePrescriptionId
  drugName
  dose
  route
  sig
  quantity
  refills
  deaSchedule
  homeDelivery
  routedAt
  prescriberName
  dispensingStatus
  prescriptionStatus
  stopReason
  patient {
    givenName
    familyName
    birthDate
    phone
    addressLine
    city
    region
    postalCode
  }
  allergies {
    substance
    reaction
    criticality
  }
  fills {
    ...PortalPharmacyFill
  }
  deliveries {
    ...PortalPharmacyDelivery
  }
  alerts {
    ...PortalPharmacyAlert
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}
fragment PortalPharmacyDelivery on Delivery {
  id
  fillNumber
  status
  statusOccurredAt
  shipment
  signature
  reason
  lateAfter
  history {
    eventId
    status
    occurredAt
    origin
  }
}
fragment PortalPharmacyAlert on MedicationAlert {
  id
  kind
  urgency
  reason
  createdAt
  acknowledged
  pharmacyAcknowledgedAt
}`, {"fragmentName":"PortalPharmacyItem"}) as unknown as TypedDocumentString<PortalPharmacyItemFragment, unknown>;
export const PortalReferralListFieldsFragmentDoc = new TypedDocumentString(`
    fragment PortalReferralListFields on Referral {
  id
  status
  version
  urgency
  requestedService
  patientId
  sentAt
  appointmentAt
  recipientOrganization {
    id
    name
  }
  senderOrganization {
    id
    name
  }
}
    `, {"fragmentName":"PortalReferralListFields"}) as unknown as TypedDocumentString<PortalReferralListFieldsFragment, unknown>;
export const ReferralFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}
    `, {"fragmentName":"ReferralFields"}) as unknown as TypedDocumentString<ReferralFieldsFragment, unknown>;
export const PacketRecordFieldsFragmentDoc = new TypedDocumentString(`
    fragment PacketRecordFields on ClinicalRecord {
  __typename
  id
  kind
  categories
  supersededAt
  provenance {
    organizationId
    system
  }
  ... on Diagnosis {
    icd10Code
    diagnosisText
  }
  ... on Prescription {
    drugName
    dose
  }
  ... on LabResult {
    testName
    valueNumeric
    unit
  }
}
    `, {"fragmentName":"PacketRecordFields"}) as unknown as TypedDocumentString<PacketRecordFieldsFragment, unknown>;
export const MyNotificationsDocument = new TypedDocumentString(`
    query MyNotifications {
  myNotifications(first: 100) {
    edges {
      node {
        id
        kind
        subjectType
        subjectId
        createdAt
        readAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyNotificationsQuery, MyNotificationsQueryVariables>;
export const AcknowledgeCriticalAlertDocument = new TypedDocumentString(`
    mutation AcknowledgeCriticalAlert($alertId: ID!) {
  acknowledgeCriticalAlert(alertId: $alertId) {
    alert {
      id
      status
      acknowledgedAt
    }
  }
}
    `) as unknown as TypedDocumentString<AcknowledgeCriticalAlertMutation, AcknowledgeCriticalAlertMutationVariables>;
export const PatientCriticalAlertsDocument = new TypedDocumentString(`
    query PatientCriticalAlerts($id: ID!) {
  patient(id: $id) {
    criticalAlerts {
      id
      status
      rule
      reason
      escalatedAt
      labResult {
        testName
        valueNumeric
        unit
        abnormalFlag
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PatientCriticalAlertsQuery, PatientCriticalAlertsQueryVariables>;
export const MarkNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {
  markNotificationsRead(ids: $ids, all: $all) {
    marked
  }
}
    `) as unknown as TypedDocumentString<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const CriticalAlertDocument = new TypedDocumentString(`
    query CriticalAlert($id: ID!) {
  criticalAlert(id: $id) {
    id
    patientId
    status
    rule
    reason
    labResult {
      testName
      valueNumeric
      unit
    }
  }
}
    `) as unknown as TypedDocumentString<CriticalAlertQuery, CriticalAlertQueryVariables>;
export const CriticalAlertRaisedDocument = new TypedDocumentString(`
    subscription CriticalAlertRaised($patientId: ID) {
  criticalAlertRaised(patientId: $patientId) {
    id
    patientId
    status
    rule
    reason
    labResult {
      testName
      valueNumeric
      unit
      abnormalFlag
    }
  }
}
    `) as unknown as TypedDocumentString<CriticalAlertRaisedSubscription, CriticalAlertRaisedSubscriptionVariables>;
export const RecordDiagnosisDocument = new TypedDocumentString(`
    mutation RecordDiagnosis($input: DiagnosisInput!) {
  recordDiagnosis(input: $input) {
    diagnosis {
      id
      icd10Code
      diagnosisText
      diagnosisStatus
      categories
      provenance {
        ...ProvenanceFields
      }
    }
  }
}
    fragment ProvenanceFields on Provenance {
  system
  recordId
  receivedAt
  inboxMessageId
  organization {
    id
    name
    kind
  }
}`) as unknown as TypedDocumentString<RecordDiagnosisMutation, RecordDiagnosisMutationVariables>;
export const PrescribeDocument = new TypedDocumentString(`
    mutation Prescribe($input: PrescriptionInput!) {
  prescribe(input: $input) {
    prescription {
      id
      drugName
      dose
      isMoud
      categories
      homeDelivery
      pharmacy {
        id
      }
      prescriber {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PrescribeMutation, PrescribeMutationVariables>;
export const RecordAssessmentDocument = new TypedDocumentString(`
    mutation RecordAssessment($input: AssessmentInput!) {
  recordAssessment(input: $input) {
    assessment {
      id
      instrument
      score
      categories
    }
  }
}
    `) as unknown as TypedDocumentString<RecordAssessmentMutation, RecordAssessmentMutationVariables>;
export const RecordAttendanceDocument = new TypedDocumentString(`
    mutation RecordAttendance($input: AttendanceInput!) {
  recordAttendance(input: $input) {
    attendance {
      id
      sessionType
      attendanceStatus
      sudProgram
      categories
    }
  }
}
    `) as unknown as TypedDocumentString<RecordAttendanceMutation, RecordAttendanceMutationVariables>;
export const UpdateCarePlanDocument = new TypedDocumentString(`
    mutation UpdateCarePlan($input: CarePlanInput!) {
  updateCarePlan(input: $input) {
    carePlan {
      id
      planType
      planText
      categories
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateCarePlanMutation, UpdateCarePlanMutationVariables>;
export const ReportSideEffectDocument = new TypedDocumentString(`
    mutation ReportSideEffect($input: SideEffectInput!) {
  reportSideEffect(input: $input) {
    sideEffect {
      id
      effect
      severity
      prescriptionId
      categories
    }
  }
}
    `) as unknown as TypedDocumentString<ReportSideEffectMutation, ReportSideEffectMutationVariables>;
export const PatientViewDocument = new TypedDocumentString(`
    query PatientView($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    birthDate
    identifiers {
      value
      organization {
        id
        name
      }
    }
    enrollments {
      status
      program {
        name
      }
      careTeam {
        teamRole
        user {
          displayName
        }
      }
    }
    diagnoses {
      id
      icd10Code
      diagnosisText
      diagnosisStatus
      categories
      provenance {
        ...ProvenanceFields
      }
    }
    medications {
      id
      drugName
      dose
      route
      sig
      isMoud
      categories
      pharmacy {
        name
      }
      prescriber {
        displayName
      }
      provenance {
        ...ProvenanceFields
      }
    }
    assessments {
      instrument
      score
      administeredAt
      provenance {
        ...ProvenanceFields
      }
    }
    attendance {
      sessionType
      sessionAt
      attendanceStatus
      sudProgram
    }
    treatmentPlan {
      planText
      createdAt
    }
    crisisPlan {
      planText
      createdAt
    }
    sideEffects {
      effect
      severity
      prescriptionId
    }
    allergies {
      substance
      reaction
      criticality
      provenance {
        ...ProvenanceFields
      }
    }
    labResults {
      testName
      loincCode
      valueNumeric
      valueText
      unit
      referenceLow
      referenceHigh
      abnormalFlag
      resultStatus
      effectiveAt
      categories
      provenance {
        ...ProvenanceFields
      }
    }
    labTrends {
      test
      unit
      direction
      latest {
        valueNumeric
      }
      previous {
        valueNumeric
      }
    }
    encounters {
      encounterType
      encounterStatus
      startedAt
      provenance {
        ...ProvenanceFields
      }
    }
  }
}
    fragment ProvenanceFields on Provenance {
  system
  recordId
  receivedAt
  inboxMessageId
  organization {
    id
    name
    kind
  }
}`) as unknown as TypedDocumentString<PatientViewQuery, PatientViewQueryVariables>;
export const RequestConsentDocument = new TypedDocumentString(`
    mutation RequestConsent($input: RequestConsentInput!) {
  requestConsent(input: $input) {
    consent {
      id
      status
      categories
      purpose
      purposeStatement
      recipientOrganizationIds
      recipientUserIds
      rightToRevoke
    }
  }
}
    `) as unknown as TypedDocumentString<RequestConsentMutation, RequestConsentMutationVariables>;
export const SignConsentDocument = new TypedDocumentString(`
    mutation SignConsent($consentId: ID!, $signedName: String!, $acknowledgeRightToRevoke: Boolean!) {
  signConsent(
    consentId: $consentId
    signedName: $signedName
    acknowledgeRightToRevoke: $acknowledgeRightToRevoke
  ) {
    consent {
      id
      status
      signedName
      signedAt
      events {
        fromStatus
        toStatus
        byUserId
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SignConsentMutation, SignConsentMutationVariables>;
export const DeclineConsentDocument = new TypedDocumentString(`
    mutation DeclineConsent($consentId: ID!) {
  declineConsent(consentId: $consentId) {
    consent {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DeclineConsentMutation, DeclineConsentMutationVariables>;
export const RevokeConsentDocument = new TypedDocumentString(`
    mutation RevokeConsent($consentId: ID!) {
  revokeConsent(consentId: $consentId) {
    consent {
      id
      status
      events {
        toStatus
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeConsentMutation, RevokeConsentMutationVariables>;
export const PatientConsentsDocument = new TypedDocumentString(`
    query PatientConsents($id: ID!) {
  patient(id: $id) {
    consents {
      id
      status
      purpose
      purposeStatement
      categories
      program {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PatientConsentsQuery, PatientConsentsQueryVariables>;
export const MyDisclosuresDocument = new TypedDocumentString(`
    query MyDisclosures($first: Int, $before: String) {
  myDisclosures(first: $first, before: $before) {
    nextCursor
    items {
      occurredAt
      role
      categories
      purpose
      consentId
      operation
      organization {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyDisclosuresQuery, MyDisclosuresQueryVariables>;
export const BreakGlassDocument = new TypedDocumentString(`
    mutation BreakGlass($patientId: ID!, $reason: String!) {
  breakGlass(patientId: $patientId, reason: $reason) {
    access {
      id
      expiresAt
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<BreakGlassMutation, BreakGlassMutationVariables>;
export const ConsentDocument = new TypedDocumentString(`
    query Consent($id: ID!) {
  consent(id: $id) {
    id
    status
    purpose
    categories
    recipientOrganizationIds
    recipientUserIds
    expiresAt
    program {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ConsentQuery, ConsentQueryVariables>;
export const BreakGlassAccessDocument = new TypedDocumentString(`
    query BreakGlassAccess($id: ID!) {
  breakGlassAccess(id: $id) {
    id
    userId
    organizationId
    reason
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<BreakGlassAccessQuery, BreakGlassAccessQueryVariables>;
export const FailedJobsDocument = new TypedDocumentString(`
    query FailedJobs {
  failedJobs {
    id
    queue
    jobName
    createdAt
    failedAt
    failureReason
  }
}
    `) as unknown as TypedDocumentString<FailedJobsQuery, FailedJobsQueryVariables>;
export const RetryFailedJobDocument = new TypedDocumentString(`
    mutation RetryFailedJob($id: ID!) {
  retryFailedJob(id: $id) {
    id
    queue
    jobName
    failedAt
  }
}
    `) as unknown as TypedDocumentString<RetryFailedJobMutation, RetryFailedJobMutationVariables>;
export const FailedJobDocument = new TypedDocumentString(`
    query FailedJob($id: ID!) {
  failedJob(id: $id) {
    id
    queue
    jobName
    failedAt
    failureReason
  }
}
    `) as unknown as TypedDocumentString<FailedJobQuery, FailedJobQueryVariables>;
export const FailedInboundMessagesDocument = new TypedDocumentString(`
    query FailedInboundMessages($first: Int, $after: String) {
  failedInboundMessages(first: $first, after: $after) {
    totalCount
    edges {
      node {
        id
        source
        sourceOrganizationId
        sourceMessageId
        state
        error
        receivedAt
        processedAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FailedInboundMessagesQuery, FailedInboundMessagesQueryVariables>;
export const ReprocessInboundMessageDocument = new TypedDocumentString(`
    mutation ReprocessInboundMessage($id: ID!) {
  reprocessInboundMessage(id: $id) {
    message {
      id
      state
      error
    }
  }
}
    `) as unknown as TypedDocumentString<ReprocessInboundMessageMutation, ReprocessInboundMessageMutationVariables>;
export const InboundMessageDocument = new TypedDocumentString(`
    query InboundMessage($id: ID!) {
  inboundMessage(id: $id) {
    id
    source
    state
    error
    receivedAt
    pendingMatchReview {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<InboundMessageQuery, InboundMessageQueryVariables>;
export const MatchReviewsDocument = new TypedDocumentString(`
    query MatchReviews($status: MatchReviewStatus) {
  matchReviews(status: $status) {
    totalCount
    edges {
      node {
        id
        status
        candidateIds
        demographics {
          givenName
          familyName
          birthDate
          identifiers
        }
        sourceOrganization {
          id
          name
          kind
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MatchReviewsQuery, MatchReviewsQueryVariables>;
export const LinkMatchReviewDocument = new TypedDocumentString(`
    mutation LinkMatchReview($reviewId: ID!, $patientId: ID!) {
  linkMatchReview(reviewId: $reviewId, patientId: $patientId) {
    review {
      id
      status
      patientId
      resolvedAt
    }
  }
}
    `) as unknown as TypedDocumentString<LinkMatchReviewMutation, LinkMatchReviewMutationVariables>;
export const CreatePatientFromMatchReviewDocument = new TypedDocumentString(`
    mutation CreatePatientFromMatchReview($reviewId: ID!) {
  createPatientFromMatchReview(reviewId: $reviewId) {
    review {
      id
      status
      patientId
    }
  }
}
    `) as unknown as TypedDocumentString<CreatePatientFromMatchReviewMutation, CreatePatientFromMatchReviewMutationVariables>;
export const RejectMatchReviewDocument = new TypedDocumentString(`
    mutation RejectMatchReview($reviewId: ID!) {
  rejectMatchReview(reviewId: $reviewId) {
    review {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<RejectMatchReviewMutation, RejectMatchReviewMutationVariables>;
export const UnlinkInboundMessageDocument = new TypedDocumentString(`
    mutation UnlinkInboundMessage($inboxMessageId: ID!) {
  unlinkInboundMessage(inboxMessageId: $inboxMessageId) {
    review {
      id
      status
      candidateIds
    }
  }
}
    `) as unknown as TypedDocumentString<UnlinkInboundMessageMutation, UnlinkInboundMessageMutationVariables>;
export const MedicationReviewDocument = new TypedDocumentString(`
    query MedicationReview($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    medicationList {
      ingredient
      discrepancies
      medications {
        id
        drugName
        dose
        prescriptionStatus
        provenance {
          organization {
            name
            kind
          }
        }
      }
      decisions {
        action
        note
        decidedById
        createdAt
      }
    }
    interactionFlags {
      ruleId
      version
      severity
      message
      source
      medicationIds
    }
  }
}
    `) as unknown as TypedDocumentString<MedicationReviewQuery, MedicationReviewQueryVariables>;
export const ReconcileMedicationDocument = new TypedDocumentString(`
    mutation ReconcileMedication($input: ReconcileMedicationInput!) {
  reconcileMedication(input: $input) {
    decision {
      id
      ingredient
      action
      note
      decidedById
    }
  }
}
    `) as unknown as TypedDocumentString<ReconcileMedicationMutation, ReconcileMedicationMutationVariables>;
export const SetIdentifierSystemsDocument = new TypedDocumentString(`
    mutation SetIdentifierSystems($input: SetIdentifierSystemsInput!) {
  setIdentifierSystems(input: $input) {
    organization {
      id
      identifierSystems
    }
  }
}
    `) as unknown as TypedDocumentString<SetIdentifierSystemsMutation, SetIdentifierSystemsMutationVariables>;
export const OrganizationsDocument = new TypedDocumentString(`
    query Organizations($first: Int, $after: String, $kind: OrganizationKind) {
  organizations(first: $first, after: $after, kind: $kind) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OrganizationsQuery, OrganizationsQueryVariables>;
export const CreateOrganizationDocument = new TypedDocumentString(`
    mutation CreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization {
      id
      name
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<CreateOrganizationMutation, CreateOrganizationMutationVariables>;
export const PatientDocument = new TypedDocumentString(`
    query Patient($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    birthDate
    city
    identifiers {
      value
      organization {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PatientQuery, PatientQueryVariables>;
export const PatientWithCareDocument = new TypedDocumentString(`
    query PatientWithCare($id: ID!) {
  patient(id: $id) {
    id
    givenName
    enrollments {
      id
      status
      startedAt
      endedAt
      program {
        id
        name
      }
      careTeam {
        teamRole
        removedAt
        user {
          id
          displayName
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PatientWithCareQuery, PatientWithCareQueryVariables>;
export const PatientsDocument = new TypedDocumentString(`
    query Patients($first: Int, $after: String) {
  patients(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        givenName
        familyName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PatientsQuery, PatientsQueryVariables>;
export const RegisterPatientDocument = new TypedDocumentString(`
    mutation RegisterPatient($input: RegisterPatientInput!) {
  registerPatient(input: $input) {
    patient {
      id
      givenName
      familyName
      birthDate
    }
    enrollment {
      id
      status
      careTeam {
        teamRole
        user {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterPatientMutation, RegisterPatientMutationVariables>;
export const EnrollPatientDocument = new TypedDocumentString(`
    mutation EnrollPatient($patientId: ID!) {
  enrollPatient(patientId: $patientId) {
    enrollment {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<EnrollPatientMutation, EnrollPatientMutationVariables>;
export const RequestEnrollmentDocument = new TypedDocumentString(`
    mutation RequestEnrollment($programId: ID!) {
  requestEnrollment(programId: $programId) {
    enrollment {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<RequestEnrollmentMutation, RequestEnrollmentMutationVariables>;
export const EndEnrollmentDocument = new TypedDocumentString(`
    mutation EndEnrollment($enrollmentId: ID!, $status: EnrollmentStatus!) {
  endEnrollment(enrollmentId: $enrollmentId, status: $status) {
    enrollment {
      id
      status
      endedAt
    }
  }
}
    `) as unknown as TypedDocumentString<EndEnrollmentMutation, EndEnrollmentMutationVariables>;
export const AddCareTeamMemberDocument = new TypedDocumentString(`
    mutation AddCareTeamMember($enrollmentId: ID!, $userId: ID!, $teamRole: CareTeamRole!) {
  addCareTeamMember(
    enrollmentId: $enrollmentId
    userId: $userId
    teamRole: $teamRole
  ) {
    careTeamMember {
      teamRole
      removedAt
    }
  }
}
    `) as unknown as TypedDocumentString<AddCareTeamMemberMutation, AddCareTeamMemberMutationVariables>;
export const RemoveCareTeamMemberDocument = new TypedDocumentString(`
    mutation RemoveCareTeamMember($enrollmentId: ID!, $userId: ID!) {
  removeCareTeamMember(enrollmentId: $enrollmentId, userId: $userId) {
    careTeamMember {
      removedAt
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveCareTeamMemberMutation, RemoveCareTeamMemberMutationVariables>;
export const AddPatientIdentifierDocument = new TypedDocumentString(`
    mutation AddPatientIdentifier($input: AddPatientIdentifierInput!) {
  addPatientIdentifier(input: $input) {
    identifier {
      value
      organization {
        id
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AddPatientIdentifierMutation, AddPatientIdentifierMutationVariables>;
export const PatientFhirBundleDocument = new TypedDocumentString(`
    query PatientFhirBundle($id: ID!) {
  patient(id: $id) {
    id
    fhirBundle
  }
}
    `) as unknown as TypedDocumentString<PatientFhirBundleQuery, PatientFhirBundleQueryVariables>;
export const EnrollmentDocument = new TypedDocumentString(`
    query Enrollment($id: ID!) {
  enrollment(id: $id) {
    id
    patientId
    status
    startedAt
    program {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<EnrollmentQuery, EnrollmentQueryVariables>;
export const PrescriptionDeliveriesDocument = new TypedDocumentString(`
    query PrescriptionDeliveries($id: ID!) {
  patient(id: $id) {
    medications {
      id
      rxNumber
      deliveries {
        id
        fillNumber
        status
        statusOccurredAt
        shipment
        signature
        reason
        lateAfter
        categories
        provenance {
          organizationId
          system
        }
        history {
          eventId
          status
          occurredAt
          origin
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PrescriptionDeliveriesQuery, PrescriptionDeliveriesQueryVariables>;
export const SetDeliveryStatusDocument = new TypedDocumentString(`
    mutation SetDeliveryStatus($prescriptionId: ID!, $input: DeliveryStatusInput!) {
  setDeliveryStatus(prescriptionId: $prescriptionId, input: $input) {
    delivery {
      id
      fillNumber
      status
      history {
        status
        origin
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetDeliveryStatusMutation, SetDeliveryStatusMutationVariables>;
export const MedicationAlertDocument = new TypedDocumentString(`
    query MedicationAlert($id: ID!) {
  medicationAlert(id: $id) {
    id
    kind
    urgency
    reason
    acknowledged
    acknowledgedAt
    acknowledgedById
    patientId
    prescriptionId
    deliveryId
  }
}
    `) as unknown as TypedDocumentString<MedicationAlertQuery, MedicationAlertQueryVariables>;
export const MyMedicationAlertsDocument = new TypedDocumentString(`
    query MyMedicationAlerts {
  myMedicationAlerts {
    id
    kind
    urgency
    patientId
  }
}
    `) as unknown as TypedDocumentString<MyMedicationAlertsQuery, MyMedicationAlertsQueryVariables>;
export const PatientMedicationAlertsDocument = new TypedDocumentString(`
    query PatientMedicationAlerts($id: ID!) {
  patient(id: $id) {
    medicationAlerts {
      id
      kind
      urgency
      acknowledged
    }
  }
}
    `) as unknown as TypedDocumentString<PatientMedicationAlertsQuery, PatientMedicationAlertsQueryVariables>;
export const AcknowledgeMedicationAlertDocument = new TypedDocumentString(`
    mutation AcknowledgeMedicationAlert($alertId: ID!) {
  acknowledgeMedicationAlert(alertId: $alertId) {
    alert {
      id
      acknowledged
      acknowledgedAt
      acknowledgedById
    }
  }
}
    `) as unknown as TypedDocumentString<AcknowledgeMedicationAlertMutation, AcknowledgeMedicationAlertMutationVariables>;
export const CreateWebhookSourceDocument = new TypedDocumentString(`
    mutation CreateWebhookSource($organizationId: ID!, $key: String!) {
  createWebhookSource(organizationId: $organizationId, key: $key) {
    source {
      id
      key
      organizationId
    }
    secretId
    secret
  }
}
    `) as unknown as TypedDocumentString<CreateWebhookSourceMutation, CreateWebhookSourceMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($sourceId: ID!) {
  rotateWebhookSecret(sourceId: $sourceId) {
    secretId
    secret
  }
}
    `) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const RetireWebhookSecretDocument = new TypedDocumentString(`
    mutation RetireWebhookSecret($secretId: ID!) {
  retireWebhookSecret(secretId: $secretId) {
    secret {
      id
      retiredAt
    }
  }
}
    `) as unknown as TypedDocumentString<RetireWebhookSecretMutation, RetireWebhookSecretMutationVariables>;
export const DeliveryStatusChangedDocument = new TypedDocumentString(`
    subscription DeliveryStatusChanged($patientId: ID) {
  deliveryStatusChanged(patientId: $patientId) {
    id
    prescriptionId
    fillNumber
    status
    statusOccurredAt
    categories
    history {
      eventId
      status
    }
  }
}
    `) as unknown as TypedDocumentString<DeliveryStatusChangedSubscription, DeliveryStatusChangedSubscriptionVariables>;
export const PharmacyWorklistDocument = new TypedDocumentString(`
    query PharmacyWorklist($status: DispensingStatus, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  pharmacyWorklist(
    status: $status
    from: $from
    to: $to
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        rxNumber
        sourcePrescriptionId
        drugName
        dose
        sig
        quantity
        refills
        deaSchedule
        routedAt
        prescriberName
        dispensingStatus
        patient {
          givenName
          familyName
          birthDate
          phone
          addressLine
          city
          region
          postalCode
        }
        allergies {
          substance
          reaction
          criticality
        }
        fills {
          ...FillFields
        }
      }
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<PharmacyWorklistQuery, PharmacyWorklistQueryVariables>;
export const ConfirmDispensedDocument = new TypedDocumentString(`
    mutation ConfirmDispensed($input: DispensedInput!) {
  confirmDispensed(input: $input) {
    dispense {
      ...FillFields
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<ConfirmDispensedMutation, ConfirmDispensedMutationVariables>;
export const ConfirmPartialFillDocument = new TypedDocumentString(`
    mutation ConfirmPartialFill($input: PartialFillInput!) {
  confirmPartialFill(input: $input) {
    dispense {
      ...FillFields
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<ConfirmPartialFillMutation, ConfirmPartialFillMutationVariables>;
export const ReportNotDispensedDocument = new TypedDocumentString(`
    mutation ReportNotDispensed($input: NotDispensedInput!) {
  reportNotDispensed(input: $input) {
    dispense {
      ...FillFields
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<ReportNotDispensedMutation, ReportNotDispensedMutationVariables>;
export const ReportTransferredDocument = new TypedDocumentString(`
    mutation ReportTransferred($input: TransferredInput!) {
  reportTransferred(input: $input) {
    dispense {
      ...FillFields
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<ReportTransferredMutation, ReportTransferredMutationVariables>;
export const DispenseDocument = new TypedDocumentString(`
    query Dispense($id: ID!) {
  dispense(id: $id) {
    ...FillFields
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<DispenseQuery, DispenseQueryVariables>;
export const MedicationFillsDocument = new TypedDocumentString(`
    query MedicationFills($id: ID!) {
  patient(id: $id) {
    medicationList {
      ingredient
      medications {
        id
      }
      fills {
        ...FillFields
      }
      adherence {
        proportionOfDaysCovered
        windowStart
        windowEnd
        daysInWindow
        daysCovered
        nextFillDue
        daysLate
        refillLate
      }
    }
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<MedicationFillsQuery, MedicationFillsQueryVariables>;
export const FillRecordedDocument = new TypedDocumentString(`
    subscription FillRecorded($patientId: ID) {
  fillRecorded(patientId: $patientId) {
    ...FillFields
  }
}
    fragment FillFields on Dispense {
  id
  drugName
  prescriptionId
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  categories
  transferredTo {
    id
  }
  provenance {
    organizationId
  }
}`) as unknown as TypedDocumentString<FillRecordedSubscription, FillRecordedSubscriptionVariables>;
export const AdminOrganizationsDocument = new TypedDocumentString(`
    query AdminOrganizations($first: Int, $after: String, $kind: OrganizationKind) {
  organizations(first: $first, after: $after, kind: $kind) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        kind
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminOrganizationsQuery, AdminOrganizationsQueryVariables>;
export const AdminOrganizationDocument = new TypedDocumentString(`
    query AdminOrganization($id: ID!) {
  organization(id: $id) {
    id
    name
    kind
    createdAt
  }
}
    `) as unknown as TypedDocumentString<AdminOrganizationQuery, AdminOrganizationQueryVariables>;
export const AdminCreateOrganizationDocument = new TypedDocumentString(`
    mutation AdminCreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization {
      id
      name
      kind
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<AdminCreateOrganizationMutation, AdminCreateOrganizationMutationVariables>;
export const AdminOrganizationEndpointDocument = new TypedDocumentString(`
    query AdminOrganizationEndpoint($organizationId: ID!) {
  organizationEndpoint(organizationId: $organizationId) {
    id
    url
    setAt
    previousSecretUntil
  }
}
    `) as unknown as TypedDocumentString<AdminOrganizationEndpointQuery, AdminOrganizationEndpointQueryVariables>;
export const AdminSetOrganizationEndpointDocument = new TypedDocumentString(`
    mutation AdminSetOrganizationEndpoint($input: SetOrganizationEndpointInput!) {
  setOrganizationEndpoint(input: $input) {
    endpoint {
      id
      url
      setAt
      previousSecretUntil
    }
    secret
  }
}
    `) as unknown as TypedDocumentString<AdminSetOrganizationEndpointMutation, AdminSetOrganizationEndpointMutationVariables>;
export const AdminRemoveOrganizationEndpointDocument = new TypedDocumentString(`
    mutation AdminRemoveOrganizationEndpoint($organizationId: ID!) {
  removeOrganizationEndpoint(organizationId: $organizationId) {
    removed
  }
}
    `) as unknown as TypedDocumentString<AdminRemoveOrganizationEndpointMutation, AdminRemoveOrganizationEndpointMutationVariables>;
export const AdminUsersDocument = new TypedDocumentString(`
    query AdminUsers($first: Int, $after: String) {
  users(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        email
        displayName
        active
        createdAt
        memberships {
          id
          role
          active
          organization {
            id
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminUsersQuery, AdminUsersQueryVariables>;
export const AdminCreateUserDocument = new TypedDocumentString(`
    mutation AdminCreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    user {
      id
      email
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<AdminCreateUserMutation, AdminCreateUserMutationVariables>;
export const AdminSetMembershipActiveDocument = new TypedDocumentString(`
    mutation AdminSetMembershipActive($membershipId: ID!, $active: Boolean!) {
  setMembershipActive(membershipId: $membershipId, active: $active) {
    membership {
      id
      role
      active
    }
  }
}
    `) as unknown as TypedDocumentString<AdminSetMembershipActiveMutation, AdminSetMembershipActiveMutationVariables>;
export const AdminWebhookSourcesDocument = new TypedDocumentString(`
    query AdminWebhookSources($organizationId: ID!, $first: Int, $after: String) {
  webhookSources(organizationId: $organizationId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        key
        createdAt
        organization {
          id
          name
        }
        secrets {
          id
          createdAt
          retiredAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminWebhookSourcesQuery, AdminWebhookSourcesQueryVariables>;
export const AdminCreateWebhookSourceDocument = new TypedDocumentString(`
    mutation AdminCreateWebhookSource($organizationId: ID!, $key: String!) {
  createWebhookSource(organizationId: $organizationId, key: $key) {
    source {
      id
      key
    }
    secretId
    secret
  }
}
    `) as unknown as TypedDocumentString<AdminCreateWebhookSourceMutation, AdminCreateWebhookSourceMutationVariables>;
export const AdminRotateWebhookSecretDocument = new TypedDocumentString(`
    mutation AdminRotateWebhookSecret($sourceId: ID!) {
  rotateWebhookSecret(sourceId: $sourceId) {
    source {
      id
      key
    }
    secretId
    secret
  }
}
    `) as unknown as TypedDocumentString<AdminRotateWebhookSecretMutation, AdminRotateWebhookSecretMutationVariables>;
export const AdminRetireWebhookSecretDocument = new TypedDocumentString(`
    mutation AdminRetireWebhookSecret($secretId: ID!) {
  retireWebhookSecret(secretId: $secretId) {
    secret {
      id
      retiredAt
    }
  }
}
    `) as unknown as TypedDocumentString<AdminRetireWebhookSecretMutation, AdminRetireWebhookSecretMutationVariables>;
export const AdminFailedInboundMessagesDocument = new TypedDocumentString(`
    query AdminFailedInboundMessages($first: Int, $after: String) {
  failedInboundMessages(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        source
        state
        error
        receivedAt
        processedAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AdminFailedInboundMessagesQuery, AdminFailedInboundMessagesQueryVariables>;
export const AdminReprocessInboundMessageDocument = new TypedDocumentString(`
    mutation AdminReprocessInboundMessage($id: ID!) {
  reprocessInboundMessage(id: $id) {
    message {
      id
      state
      error
    }
  }
}
    `) as unknown as TypedDocumentString<AdminReprocessInboundMessageMutation, AdminReprocessInboundMessageMutationVariables>;
export const AdminFailedJobsDocument = new TypedDocumentString(`
    query AdminFailedJobs {
  failedJobs {
    id
    queue
    jobName
    createdAt
    failedAt
    failureReason
  }
}
    `) as unknown as TypedDocumentString<AdminFailedJobsQuery, AdminFailedJobsQueryVariables>;
export const AdminRetryFailedJobDocument = new TypedDocumentString(`
    mutation AdminRetryFailedJob($id: ID!) {
  retryFailedJob(id: $id) {
    id
    queue
    jobName
    failedAt
  }
}
    `) as unknown as TypedDocumentString<AdminRetryFailedJobMutation, AdminRetryFailedJobMutationVariables>;
export const IopHomeDocument = new TypedDocumentString(`
    query IopHome($first: Int = 100) {
  patients(first: $first) {
    edges {
      node {
        id
        givenName
        familyName
        birthDate
        medicationList {
          ingredient
          discrepancies
        }
      }
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<IopHomeQuery, IopHomeQueryVariables>;
export const IopCriticalAlertsDocument = new TypedDocumentString(`
    query IopCriticalAlerts {
  myCriticalAlerts {
    ...IopCriticalAlertFields
  }
}
    fragment IopCriticalAlertFields on CriticalAlert {
  id
  patientId
  status
  reason
  escalatedAt
  acknowledgedAt
  labResult {
    testName
    valueNumeric
    unit
    abnormalFlag
  }
}`) as unknown as TypedDocumentString<IopCriticalAlertsQuery, IopCriticalAlertsQueryVariables>;
export const IopCriticalAlertDocument = new TypedDocumentString(`
    query IopCriticalAlert($id: ID!) {
  criticalAlert(id: $id) {
    ...IopCriticalAlertFields
  }
}
    fragment IopCriticalAlertFields on CriticalAlert {
  id
  patientId
  status
  reason
  escalatedAt
  acknowledgedAt
  labResult {
    testName
    valueNumeric
    unit
    abnormalFlag
  }
}`) as unknown as TypedDocumentString<IopCriticalAlertQuery, IopCriticalAlertQueryVariables>;
export const IopPatientConsentsDocument = new TypedDocumentString(`
    query IopPatientConsents($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    consents {
      id
      status
      purpose
      categories
      recipientOrganizationIds
      startsAt
      expiresAt
      expiryEvent
      signedAt
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<IopPatientConsentsQuery, IopPatientConsentsQueryVariables>;
export const MyRecordDocument = new TypedDocumentString(`
    query MyRecord {
  patients(first: 1) {
    edges {
      node {
        id
        givenName
        familyName
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordQuery, MyRecordQueryVariables>;
export const MyRecordConsentsDocument = new TypedDocumentString(`
    query MyRecordConsents($id: ID!) {
  patient(id: $id) {
    id
    consents {
      id
      status
      purpose
      purposeStatement
      categories
      createdAt
      startsAt
      expiresAt
      expiryEvent
      signedAt
      signedName
      rightToRevoke
      program {
        id
        name
      }
      recipientOrganizations {
        id
        name
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordConsentsQuery, MyRecordConsentsQueryVariables>;
export const MyRecordConsentDocumentDocument = new TypedDocumentString(`
    query MyRecordConsentDocument($id: ID!) {
  consent(id: $id) {
    id
    documentPdf
  }
}
    `) as unknown as TypedDocumentString<MyRecordConsentDocumentQuery, MyRecordConsentDocumentQueryVariables>;
export const MyRecordSignConsentDocument = new TypedDocumentString(`
    mutation MyRecordSignConsent($consentId: ID!, $signedName: String!, $acknowledgeRightToRevoke: Boolean!) {
  signConsent(
    consentId: $consentId
    signedName: $signedName
    acknowledgeRightToRevoke: $acknowledgeRightToRevoke
  ) {
    consent {
      id
      status
      signedAt
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordSignConsentMutation, MyRecordSignConsentMutationVariables>;
export const MyRecordDeclineConsentDocument = new TypedDocumentString(`
    mutation MyRecordDeclineConsent($consentId: ID!) {
  declineConsent(consentId: $consentId) {
    consent {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordDeclineConsentMutation, MyRecordDeclineConsentMutationVariables>;
export const MyRecordRevokeConsentDocument = new TypedDocumentString(`
    mutation MyRecordRevokeConsent($consentId: ID!) {
  revokeConsent(consentId: $consentId) {
    consent {
      id
      status
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordRevokeConsentMutation, MyRecordRevokeConsentMutationVariables>;
export const MyRecordDisclosuresDocument = new TypedDocumentString(`
    query MyRecordDisclosures($before: String) {
  myDisclosures(first: 50, before: $before) {
    nextCursor
    otherProgramsCount
    items {
      id
      occurredAt
      role
      categories
      purpose
      operation
      consentId
      organization {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyRecordDisclosuresQuery, MyRecordDisclosuresQueryVariables>;
export const PatientSummaryDocument = new TypedDocumentString(`
    query PatientSummary($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    birthDate
    diagnoses {
      id
      icd10Code
      diagnosisText
      diagnosisStatus
      onsetDate
      categories
      provenance {
        system
        receivedAt
        organization {
          id
          name
          kind
        }
      }
    }
    allergies {
      id
      substance
      reaction
      criticality
      categories
    }
    medicationList {
      ...SummaryMedicationGroup
    }
    interactionFlags {
      ruleId
      severity
      message
      medicationIds
      source
    }
    labTrends {
      ...SummaryLabTrend
    }
    criticalAlerts {
      ...SummaryCriticalAlert
    }
    assessments {
      id
      instrument
      score
      administeredAt
      categories
    }
    crisisPlan {
      id
      planText
      createdAt
      categories
      provenance {
        system
        receivedAt
        organization {
          id
          name
          kind
        }
      }
    }
    treatmentPlan {
      id
      planText
      createdAt
      categories
    }
  }
}
    fragment SummaryMedicationGroup on MedicationGroup {
  ingredient
  discrepancies
  adherence {
    proportionOfDaysCovered
    daysLate
    refillLate
    nextFillDue
  }
  medications {
    id
    drugName
    dose
    sig
    route
    isMoud
    prescriptionStatus
    categories
    pharmacy {
      id
      name
    }
    provenance {
      system
      receivedAt
      organization {
        id
        name
        kind
      }
    }
    deliveries {
      id
      prescriptionId
      fillNumber
      status
      statusOccurredAt
      lateAfter
      categories
    }
  }
  fills {
    id
    prescriptionId
    drugName
    fillNumber
    fillStatus
    dispensedOn
    dispensedQuantity
    daysSupply
    categories
  }
}
fragment SummaryLabTrend on LabTrend {
  test
  unit
  loincCode
  direction
  latest {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
    categories
  }
  points {
    id
    valueNumeric
    effectiveAt
    abnormalFlag
  }
}
fragment SummaryCriticalAlert on CriticalAlert {
  id
  patientId
  status
  reason
  createdAt
  acknowledgedAt
  labResult {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
  }
}`) as unknown as TypedDocumentString<PatientSummaryQuery, PatientSummaryQueryVariables>;
export const PatientSummaryMedicationsDocument = new TypedDocumentString(`
    query PatientSummaryMedications($id: ID!) {
  patient(id: $id) {
    id
    medicationList {
      ...SummaryMedicationGroup
    }
    interactionFlags {
      ruleId
      severity
      message
      medicationIds
      source
    }
  }
}
    fragment SummaryMedicationGroup on MedicationGroup {
  ingredient
  discrepancies
  adherence {
    proportionOfDaysCovered
    daysLate
    refillLate
    nextFillDue
  }
  medications {
    id
    drugName
    dose
    sig
    route
    isMoud
    prescriptionStatus
    categories
    pharmacy {
      id
      name
    }
    provenance {
      system
      receivedAt
      organization {
        id
        name
        kind
      }
    }
    deliveries {
      id
      prescriptionId
      fillNumber
      status
      statusOccurredAt
      lateAfter
      categories
    }
  }
  fills {
    id
    prescriptionId
    drugName
    fillNumber
    fillStatus
    dispensedOn
    dispensedQuantity
    daysSupply
    categories
  }
}`) as unknown as TypedDocumentString<PatientSummaryMedicationsQuery, PatientSummaryMedicationsQueryVariables>;
export const PatientSummaryLabsDocument = new TypedDocumentString(`
    query PatientSummaryLabs($id: ID!) {
  patient(id: $id) {
    id
    labTrends {
      ...SummaryLabTrend
    }
    criticalAlerts {
      ...SummaryCriticalAlert
    }
  }
}
    fragment SummaryLabTrend on LabTrend {
  test
  unit
  loincCode
  direction
  latest {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
    categories
  }
  points {
    id
    valueNumeric
    effectiveAt
    abnormalFlag
  }
}
fragment SummaryCriticalAlert on CriticalAlert {
  id
  patientId
  status
  reason
  createdAt
  acknowledgedAt
  labResult {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
  }
}`) as unknown as TypedDocumentString<PatientSummaryLabsQuery, PatientSummaryLabsQueryVariables>;
export const PatientSummaryReferralsSentDocument = new TypedDocumentString(`
    query PatientSummaryReferralsSent($patientId: ID!) {
  referralsSent(patientId: $patientId, first: 50) {
    totalCount
    edges {
      node {
        ...SummaryReferral
      }
    }
  }
}
    fragment SummaryReferral on Referral {
  id
  patientId
  status
  urgency
  requestedService
  reason
  sentAt
  appointmentAt
  appointmentPlace
  statusReason
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
}`) as unknown as TypedDocumentString<PatientSummaryReferralsSentQuery, PatientSummaryReferralsSentQueryVariables>;
export const PatientSummaryReferralsReceivedDocument = new TypedDocumentString(`
    query PatientSummaryReferralsReceived($patientId: ID!) {
  referralsReceived(patientId: $patientId, first: 50) {
    totalCount
    edges {
      node {
        ...SummaryReferral
      }
    }
  }
}
    fragment SummaryReferral on Referral {
  id
  patientId
  status
  urgency
  requestedService
  reason
  sentAt
  appointmentAt
  appointmentPlace
  statusReason
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
}`) as unknown as TypedDocumentString<PatientSummaryReferralsReceivedQuery, PatientSummaryReferralsReceivedQueryVariables>;
export const PatientSummaryFillRecordedDocument = new TypedDocumentString(`
    subscription PatientSummaryFillRecorded($patientId: ID!) {
  fillRecorded(patientId: $patientId) {
    ...SummaryDispense
  }
}
    fragment SummaryDispense on Dispense {
  id
  prescriptionId
  drugName
  fillNumber
  fillStatus
  dispensedOn
  dispensedQuantity
  daysSupply
  categories
  provenance {
    system
    receivedAt
    organization {
      id
      name
      kind
    }
  }
}`) as unknown as TypedDocumentString<PatientSummaryFillRecordedSubscription, PatientSummaryFillRecordedSubscriptionVariables>;
export const PatientSummaryDeliveryChangedDocument = new TypedDocumentString(`
    subscription PatientSummaryDeliveryChanged($patientId: ID!) {
  deliveryStatusChanged(patientId: $patientId) {
    ...SummaryDelivery
  }
}
    fragment SummaryDelivery on Delivery {
  id
  prescriptionId
  fillNumber
  status
  statusOccurredAt
  lateAfter
  categories
}`) as unknown as TypedDocumentString<PatientSummaryDeliveryChangedSubscription, PatientSummaryDeliveryChangedSubscriptionVariables>;
export const PatientSummaryCriticalAlertRaisedDocument = new TypedDocumentString(`
    subscription PatientSummaryCriticalAlertRaised($patientId: ID!) {
  criticalAlertRaised(patientId: $patientId) {
    ...SummaryCriticalAlert
  }
}
    fragment SummaryCriticalAlert on CriticalAlert {
  id
  patientId
  status
  reason
  createdAt
  acknowledgedAt
  labResult {
    id
    testName
    valueNumeric
    valueText
    unit
    abnormalFlag
    referenceLow
    referenceHigh
    effectiveAt
  }
}`) as unknown as TypedDocumentString<PatientSummaryCriticalAlertRaisedSubscription, PatientSummaryCriticalAlertRaisedSubscriptionVariables>;
export const PatientSummaryReferralUpdatedDocument = new TypedDocumentString(`
    subscription PatientSummaryReferralUpdated {
  referralUpdated {
    ...SummaryReferral
  }
}
    fragment SummaryReferral on Referral {
  id
  patientId
  status
  urgency
  requestedService
  reason
  sentAt
  appointmentAt
  appointmentPlace
  statusReason
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
}`) as unknown as TypedDocumentString<PatientSummaryReferralUpdatedSubscription, PatientSummaryReferralUpdatedSubscriptionVariables>;
export const PcpPatientsDocument = new TypedDocumentString(`
    query PcpPatients($first: Int, $after: String, $name: String) {
  patients(first: $first, after: $after, name: $name) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        givenName
        familyName
        birthDate
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PcpPatientsQuery, PcpPatientsQueryVariables>;
export const PortalPharmacyWorklistDocument = new TypedDocumentString(`
    query PortalPharmacyWorklist($status: DispensingStatus, $first: Int, $after: String) {
  pharmacyWorklist(status: $status, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        rxNumber
        sourcePrescriptionId
        drugName
        dose
        quantity
        deaSchedule
        homeDelivery
        routedAt
        dispensingStatus
        prescriptionStatus
        patient {
          givenName
          familyName
          birthDate
        }
        alerts {
          id
          urgency
          pharmacyAcknowledgedAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PortalPharmacyWorklistQuery, PortalPharmacyWorklistQueryVariables>;
export const PortalPharmacyPrescriptionDocument = new TypedDocumentString(`
    query PortalPharmacyPrescription($id: ID!) {
  pharmacyPrescription(id: $id) {
    ...PortalPharmacyItem
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}
fragment PortalPharmacyDelivery on Delivery {
  id
  fillNumber
  status
  statusOccurredAt
  shipment
  signature
  reason
  lateAfter
  history {
    eventId
    status
    occurredAt
    origin
  }
}
fragment PortalPharmacyAlert on MedicationAlert {
  id
  kind
  urgency
  reason
  createdAt
  acknowledged
  pharmacyAcknowledgedAt
}
fragment PortalPharmacyItem on WorklistItem {
  id
  rxNumber
  sourcePrescriptionId
  drugName
  dose
  route
  sig
  quantity
  refills
  deaSchedule
  homeDelivery
  routedAt
  prescriberName
  dispensingStatus
  prescriptionStatus
  stopReason
  patient {
    givenName
    familyName
    birthDate
    phone
    addressLine
    city
    region
    postalCode
  }
  allergies {
    substance
    reaction
    criticality
  }
  fills {
    ...PortalPharmacyFill
  }
  deliveries {
    ...PortalPharmacyDelivery
  }
  alerts {
    ...PortalPharmacyAlert
  }
}`) as unknown as TypedDocumentString<PortalPharmacyPrescriptionQuery, PortalPharmacyPrescriptionQueryVariables>;
export const PortalPharmacyWorklistChangedDocument = new TypedDocumentString(`
    subscription PortalPharmacyWorklistChanged {
  pharmacyWorklistChanged {
    ...PortalPharmacyItem
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}
fragment PortalPharmacyDelivery on Delivery {
  id
  fillNumber
  status
  statusOccurredAt
  shipment
  signature
  reason
  lateAfter
  history {
    eventId
    status
    occurredAt
    origin
  }
}
fragment PortalPharmacyAlert on MedicationAlert {
  id
  kind
  urgency
  reason
  createdAt
  acknowledged
  pharmacyAcknowledgedAt
}
fragment PortalPharmacyItem on WorklistItem {
  id
  rxNumber
  sourcePrescriptionId
  drugName
  dose
  route
  sig
  quantity
  refills
  deaSchedule
  homeDelivery
  routedAt
  prescriberName
  dispensingStatus
  prescriptionStatus
  stopReason
  patient {
    givenName
    familyName
    birthDate
    phone
    addressLine
    city
    region
    postalCode
  }
  allergies {
    substance
    reaction
    criticality
  }
  fills {
    ...PortalPharmacyFill
  }
  deliveries {
    ...PortalPharmacyDelivery
  }
  alerts {
    ...PortalPharmacyAlert
  }
}`) as unknown as TypedDocumentString<PortalPharmacyWorklistChangedSubscription, PortalPharmacyWorklistChangedSubscriptionVariables>;
export const PortalPharmacyConfirmDispensedDocument = new TypedDocumentString(`
    mutation PortalPharmacyConfirmDispensed($input: DispensedInput!) {
  confirmDispensed(input: $input) {
    dispense {
      ...PortalPharmacyFill
    }
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalPharmacyConfirmDispensedMutation, PortalPharmacyConfirmDispensedMutationVariables>;
export const PortalPharmacyConfirmPartialFillDocument = new TypedDocumentString(`
    mutation PortalPharmacyConfirmPartialFill($input: PartialFillInput!) {
  confirmPartialFill(input: $input) {
    dispense {
      ...PortalPharmacyFill
    }
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalPharmacyConfirmPartialFillMutation, PortalPharmacyConfirmPartialFillMutationVariables>;
export const PortalPharmacyReportNotDispensedDocument = new TypedDocumentString(`
    mutation PortalPharmacyReportNotDispensed($input: NotDispensedInput!) {
  reportNotDispensed(input: $input) {
    dispense {
      ...PortalPharmacyFill
    }
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalPharmacyReportNotDispensedMutation, PortalPharmacyReportNotDispensedMutationVariables>;
export const PortalPharmacyReportTransferredDocument = new TypedDocumentString(`
    mutation PortalPharmacyReportTransferred($input: TransferredInput!) {
  reportTransferred(input: $input) {
    dispense {
      ...PortalPharmacyFill
    }
  }
}
    fragment PortalPharmacyFill on Dispense {
  id
  fillNumber
  fillStatus
  dispensedQuantity
  remainingQuantity
  daysSupply
  ndc
  lotNumber
  dispensedOn
  notDispensedReason
  note
  transferredTo {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalPharmacyReportTransferredMutation, PortalPharmacyReportTransferredMutationVariables>;
export const PortalPharmacySetDeliveryStatusDocument = new TypedDocumentString(`
    mutation PortalPharmacySetDeliveryStatus($prescriptionId: ID!, $input: DeliveryStatusInput!) {
  setDeliveryStatus(prescriptionId: $prescriptionId, input: $input) {
    delivery {
      ...PortalPharmacyDelivery
    }
  }
}
    fragment PortalPharmacyDelivery on Delivery {
  id
  fillNumber
  status
  statusOccurredAt
  shipment
  signature
  reason
  lateAfter
  history {
    eventId
    status
    occurredAt
    origin
  }
}`) as unknown as TypedDocumentString<PortalPharmacySetDeliveryStatusMutation, PortalPharmacySetDeliveryStatusMutationVariables>;
export const PortalPharmacyAcknowledgeAlertDocument = new TypedDocumentString(`
    mutation PortalPharmacyAcknowledgeAlert($alertId: ID!) {
  acknowledgeMedicationAlertForPharmacy(alertId: $alertId) {
    alert {
      ...PortalPharmacyAlert
    }
  }
}
    fragment PortalPharmacyAlert on MedicationAlert {
  id
  kind
  urgency
  reason
  createdAt
  acknowledged
  pharmacyAcknowledgedAt
}`) as unknown as TypedDocumentString<PortalPharmacyAcknowledgeAlertMutation, PortalPharmacyAcknowledgeAlertMutationVariables>;
export const PortalPharmacyPharmaciesDocument = new TypedDocumentString(`
    query PortalPharmacyPharmacies($after: String) {
  organizations(kind: PHARMACY, first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PortalPharmacyPharmaciesQuery, PortalPharmacyPharmaciesQueryVariables>;
export const PortalReferralsSentDocument = new TypedDocumentString(`
    query PortalReferralsSent($first: Int = 100, $after: String) {
  referralsSent(first: $first, after: $after) {
    edges {
      node {
        ...PortalReferralListFields
      }
    }
    totalCount
  }
}
    fragment PortalReferralListFields on Referral {
  id
  status
  version
  urgency
  requestedService
  patientId
  sentAt
  appointmentAt
  recipientOrganization {
    id
    name
  }
  senderOrganization {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalReferralsSentQuery, PortalReferralsSentQueryVariables>;
export const PortalReferralsReceivedDocument = new TypedDocumentString(`
    query PortalReferralsReceived($first: Int = 100, $after: String) {
  referralsReceived(first: $first, after: $after) {
    edges {
      node {
        ...PortalReferralListFields
      }
    }
    totalCount
  }
}
    fragment PortalReferralListFields on Referral {
  id
  status
  version
  urgency
  requestedService
  patientId
  sentAt
  appointmentAt
  recipientOrganization {
    id
    name
  }
  senderOrganization {
    id
    name
  }
}`) as unknown as TypedDocumentString<PortalReferralsReceivedQuery, PortalReferralsReceivedQueryVariables>;
export const PortalReferralPatientDocument = new TypedDocumentString(`
    query PortalReferralPatient($id: ID!) {
  patient(id: $id) {
    id
    givenName
    familyName
    birthDate
  }
}
    `) as unknown as TypedDocumentString<PortalReferralPatientQuery, PortalReferralPatientQueryVariables>;
export const PrescribeToPharmacyDocument = new TypedDocumentString(`
    mutation PrescribeToPharmacy($input: PrescriptionInput!) {
  prescribe(input: $input) {
    prescription {
      id
      rxNumber
      routing
      routedAt
      isMoud
      categories
      prescriptionStatus
      pharmacy {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PrescribeToPharmacyMutation, PrescribeToPharmacyMutationVariables>;
export const CancelPrescriptionDocument = new TypedDocumentString(`
    mutation CancelPrescription($input: CancelPrescriptionInput!) {
  cancelPrescription(input: $input) {
    prescription {
      id
      rxNumber
      routing
      prescriptionStatus
      stoppedAt
      stopReason
    }
  }
}
    `) as unknown as TypedDocumentString<CancelPrescriptionMutation, CancelPrescriptionMutationVariables>;
export const PrescriptionRoutingDocument = new TypedDocumentString(`
    query PrescriptionRouting($id: ID!) {
  prescription(id: $id) {
    id
    rxNumber
    routing
    routedAt
    prescriptionStatus
    pharmacyDispatches {
      id
      kind
      status
      attempts
      lastResponseStatus
      deliveredAt
      failedAt
    }
  }
}
    `) as unknown as TypedDocumentString<PrescriptionRoutingQuery, PrescriptionRoutingQueryVariables>;
export const SetOrganizationEndpointDocument = new TypedDocumentString(`
    mutation SetOrganizationEndpoint($input: SetOrganizationEndpointInput!) {
  setOrganizationEndpoint(input: $input) {
    secret
    endpoint {
      id
      url
      setAt
      previousSecretUntil
      organization {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetOrganizationEndpointMutation, SetOrganizationEndpointMutationVariables>;
export const RemoveOrganizationEndpointDocument = new TypedDocumentString(`
    mutation RemoveOrganizationEndpoint($organizationId: ID!) {
  removeOrganizationEndpoint(organizationId: $organizationId) {
    removed
  }
}
    `) as unknown as TypedDocumentString<RemoveOrganizationEndpointMutation, RemoveOrganizationEndpointMutationVariables>;
export const OrganizationEndpointDocument = new TypedDocumentString(`
    query OrganizationEndpoint($organizationId: ID!) {
  organizationEndpoint(organizationId: $organizationId) {
    id
    url
    setAt
  }
}
    `) as unknown as TypedDocumentString<OrganizationEndpointQuery, OrganizationEndpointQueryVariables>;
export const ReferralLetterDocument = new TypedDocumentString(`
    query ReferralLetter($referralId: ID!, $version: Int) {
  referralLetter(referralId: $referralId, version: $version) {
    id
    referralId
    version
    sha256
    pdf
    createdAt
    deliveredToInboxAt
    status
    attempts
    lastResponseStatus
    deliveredAt
    failedAt
  }
}
    `) as unknown as TypedDocumentString<ReferralLetterQuery, ReferralLetterQueryVariables>;
export const ReferralUpdatedDocument = new TypedDocumentString(`
    subscription ReferralUpdated($referralId: ID) {
  referralUpdated(referralId: $referralId) {
    id
    status
    version
    urgency
    patientId
    recipientOrganization {
      id
      name
    }
    appointmentAt
    appointmentPlace
    statusReason
    timeline {
      fromStatus
      toStatus
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<ReferralUpdatedSubscription, ReferralUpdatedSubscriptionVariables>;
export const CreateReferralDocument = new TypedDocumentString(`
    mutation CreateReferral($input: CreateReferralInput!) {
  createReferral(input: $input) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<CreateReferralMutation, CreateReferralMutationVariables>;
export const UpdateReferralDocument = new TypedDocumentString(`
    mutation UpdateReferral($id: ID!, $expectedVersion: Int!, $input: UpdateReferralInput!) {
  updateReferral(id: $id, expectedVersion: $expectedVersion, input: $input) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<UpdateReferralMutation, UpdateReferralMutationVariables>;
export const ReferralPacketPreviewDocument = new TypedDocumentString(`
    query ReferralPacketPreview($id: ID!) {
  referralPacketPreview(id: $id) {
    records {
      ...PacketRecordFields
    }
    withheld {
      category
      reason
    }
    consentNeeded {
      patientId
      recipientOrganizationId
      categories
    }
    nothingIncluded
  }
}
    fragment PacketRecordFields on ClinicalRecord {
  __typename
  id
  kind
  categories
  supersededAt
  provenance {
    organizationId
    system
  }
  ... on Diagnosis {
    icd10Code
    diagnosisText
  }
  ... on Prescription {
    drugName
    dose
  }
  ... on LabResult {
    testName
    valueNumeric
    unit
  }
}`) as unknown as TypedDocumentString<ReferralPacketPreviewQuery, ReferralPacketPreviewQueryVariables>;
export const SendReferralDocument = new TypedDocumentString(`
    mutation SendReferral($id: ID!, $expectedVersion: Int!) {
  sendReferral(id: $id, expectedVersion: $expectedVersion) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<SendReferralMutation, SendReferralMutationVariables>;
export const CancelReferralDocument = new TypedDocumentString(`
    mutation CancelReferral($id: ID!, $expectedVersion: Int!, $reason: String!) {
  cancelReferral(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<CancelReferralMutation, CancelReferralMutationVariables>;
export const ReceiveReferralDocument = new TypedDocumentString(`
    mutation ReceiveReferral($id: ID!, $expectedVersion: Int!) {
  receiveReferral(id: $id, expectedVersion: $expectedVersion) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<ReceiveReferralMutation, ReceiveReferralMutationVariables>;
export const AcceptReferralDocument = new TypedDocumentString(`
    mutation AcceptReferral($id: ID!, $expectedVersion: Int!) {
  acceptReferral(id: $id, expectedVersion: $expectedVersion) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<AcceptReferralMutation, AcceptReferralMutationVariables>;
export const RejectReferralDocument = new TypedDocumentString(`
    mutation RejectReferral($id: ID!, $expectedVersion: Int!, $reason: String!) {
  rejectReferral(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<RejectReferralMutation, RejectReferralMutationVariables>;
export const ScheduleReferralDocument = new TypedDocumentString(`
    mutation ScheduleReferral($id: ID!, $expectedVersion: Int!, $at: DateTime!, $place: String!) {
  scheduleReferral(
    id: $id
    expectedVersion: $expectedVersion
    at: $at
    place: $place
  ) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<ScheduleReferralMutation, ScheduleReferralMutationVariables>;
export const CompleteReferralDocument = new TypedDocumentString(`
    mutation CompleteReferral($id: ID!, $expectedVersion: Int!, $consultNote: String, $consultNotePdfBase64: String) {
  completeReferral(
    id: $id
    expectedVersion: $expectedVersion
    consultNote: $consultNote
    consultNotePdfBase64: $consultNotePdfBase64
  ) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<CompleteReferralMutation, CompleteReferralMutationVariables>;
export const MarkReferralNoShowDocument = new TypedDocumentString(`
    mutation MarkReferralNoShow($id: ID!, $expectedVersion: Int!) {
  markReferralNoShow(id: $id, expectedVersion: $expectedVersion) {
    referral {
      ...ReferralFields
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}`) as unknown as TypedDocumentString<MarkReferralNoShowMutation, MarkReferralNoShowMutationVariables>;
export const ReferralDocument = new TypedDocumentString(`
    query Referral($id: ID!) {
  referral(id: $id) {
    ...ReferralFields
    consultNotePdfBase64
    packet {
      patient {
        id
        givenName
        familyName
        birthDate
      }
      records {
        ...PacketRecordFields
      }
      withheld {
        category
        reason
      }
      includesSud
      letterVersion
      sentAt
    }
  }
}
    fragment ReferralFields on Referral {
  id
  status
  version
  urgency
  requestedService
  reason
  clinicalQuestion
  requestedCategories
  patientId
  senderUserId
  senderOrganization {
    id
    name
  }
  recipientOrganization {
    id
    name
  }
  appointmentAt
  appointmentPlace
  statusReason
  consultNote
  consultRecordId
  failureReasonCode
  sentAt
  letterVersion
  timeline {
    fromStatus
    toStatus
    actorUserId
    organizationId
    createdAt
    note
    appointmentAt
    appointmentPlace
  }
}
fragment PacketRecordFields on ClinicalRecord {
  __typename
  id
  kind
  categories
  supersededAt
  provenance {
    organizationId
    system
  }
  ... on Diagnosis {
    icd10Code
    diagnosisText
  }
  ... on Prescription {
    drugName
    dose
  }
  ... on LabResult {
    testName
    valueNumeric
    unit
  }
}`) as unknown as TypedDocumentString<ReferralQuery, ReferralQueryVariables>;
export const ReferralsSentDocument = new TypedDocumentString(`
    query ReferralsSent($status: ReferralStatus, $first: Int, $after: String) {
  referralsSent(status: $status, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        status
        version
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<ReferralsSentQuery, ReferralsSentQueryVariables>;
export const ReferralsReceivedDocument = new TypedDocumentString(`
    query ReferralsReceived($status: ReferralStatus, $first: Int, $after: String) {
  referralsReceived(status: $status, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        status
        version
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `) as unknown as TypedDocumentString<ReferralsReceivedQuery, ReferralsReceivedQueryVariables>;
export const ReferralConsultInViewDocument = new TypedDocumentString(`
    query ReferralConsultInView($id: ID!) {
  patient(id: $id) {
    encounters {
      id
      encounterType
      encounterStatus
      startedAt
      summary
      categories
      provenance {
        organizationId
        system
        recordId
        organization {
          name
          kind
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReferralConsultInViewQuery, ReferralConsultInViewQueryVariables>;
export const AddMembershipDocument = new TypedDocumentString(`
    mutation AddMembership($userId: ID!, $input: MembershipInput!) {
  addMembership(userId: $userId, input: $input) {
    membership {
      id
      role
      active
    }
  }
}
    `) as unknown as TypedDocumentString<AddMembershipMutation, AddMembershipMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    displayName
    memberships {
      id
      role
      active
      organization {
        id
        name
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    user {
      id
      email
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const SetMembershipActiveDocument = new TypedDocumentString(`
    mutation SetMembershipActive($membershipId: ID!, $active: Boolean!) {
  setMembershipActive(membershipId: $membershipId, active: $active) {
    membership {
      id
      active
    }
  }
}
    `) as unknown as TypedDocumentString<SetMembershipActiveMutation, SetMembershipActiveMutationVariables>;