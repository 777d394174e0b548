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

export type EnrollmentStatus =
  | 'ACTIVE'
  | 'DISCHARGED'
  | 'WITHDRAWN';

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

export type MedicationDiscrepancy =
  | 'DOSE_DIFFERS'
  | 'NOT_ON_IOP_LIST'
  | 'STOPPED_IN_ONE_SOURCE';

export type MembershipInput = {
  organizationId: string | number;
  role: Role;
};

/** What a notification is about, and the query that opens it with the notification's subjectId. */
export type NotificationSubject =
  /** breakGlassAccess(id: subjectId): an emergency access to a patient's record (break-glass.opened). */
  | 'BREAK_GLASS_ACCESS'
  /** consent(id: subjectId): a release-of-information consent (consent.requested, consent.reminder, consent.revoked, consent.expired). */
  | 'CONSENT'
  /** criticalAlert(id: subjectId): a critical lab result (critical.result, critical.escalated). */
  | 'CRITICAL_ALERT'
  /** enrollment(id: subjectId): a patient enrolled with you on the care team (patient.enrolled). */
  | 'ENROLLMENT'
  /** failedJob(id: subjectId): queued work given up after every retry (job.failed). */
  | 'FAILED_JOB'
  /** inboundMessage(id: subjectId): an inbound message that failed (inbound.failed) or holds a critical result awaiting a patient match (critical.awaiting-match). */
  | 'INBOX_MESSAGE';

export type OrganizationKind =
  | 'IOP'
  | 'LAB'
  | 'LOCAL_PROVIDER'
  | 'PHARMACY'
  | 'PRIMARY_CARE';

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

export type TrendDirection =
  | 'DOWN'
  | 'SINGLE'
  | 'STABLE'
  | 'UP';

export type MyNotificationsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyNotificationsQuery = { myNotifications: { edges: Array<{ node: { id: string, kind: string, subjectType: NotificationSubject, subjectId: string, readAt: string | null } }> } };

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


export type MatchReviewsQuery = { matchReviews: { totalCount: number, edges: Array<{ node: { id: string, status: MatchReviewStatus, candidateIds: Array<string>, demographics: { givenName: string | null, familyName: string | null, birthDate: string | null, identifiers: Array<string> }, sourceOrganization: { id: string, kind: OrganizationKind } } }> } };

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


export type MedicationReviewQuery = { patient: { medicationList: Array<{ ingredient: string, discrepancies: Array<MedicationDiscrepancy>, medications: Array<{ id: string, drugName: string, dose: string, prescriptionStatus: PrescriptionStatus, provenance: { organization: { kind: OrganizationKind } } }>, decisions: Array<{ action: ReconciliationAction, note: string | null, decidedById: string, createdAt: string }> }> | null, interactionFlags: Array<{ ruleId: string, version: string, severity: string, message: string, source: string, medicationIds: Array<string> }> | null } };

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
export const MyNotificationsDocument = new TypedDocumentString(`
    query MyNotifications {
  myNotifications(first: 100) {
    edges {
      node {
        id
        kind
        subjectType
        subjectId
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