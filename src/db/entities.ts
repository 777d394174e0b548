import { AuditEvent } from '../modules/audit/audit-event.entity';
import { InboxMessage } from '../modules/ingest/inbox-message.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { OrganizationIdentifierSystem } from '../modules/organizations/identifier-system.entity';
import { CareTeamMember } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { Patient } from '../modules/patients/patient.entity';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { OutboxMessage } from '../jobs/outbox-message.entity';
import { BaseEntity } from './base.entity';
import { ClinicalRecord } from '../modules/clinical/clinical-record.entity';
import { Diagnosis } from '../modules/clinical/diagnosis.entity';
import { Assessment } from '../modules/clinical/assessment.entity';
import { Attendance } from '../modules/clinical/attendance.entity';
import { CarePlan } from '../modules/clinical/care-plan.entity';
import { SideEffect } from '../modules/clinical/side-effect.entity';
import { Prescription } from '../modules/medications/prescription.entity';
import { Allergy } from '../modules/clinical/allergy.entity';
import { Encounter } from '../modules/clinical/encounter.entity';
import { LabResult } from '../modules/labs/lab-result.entity';
import { LabOrder } from '../modules/labs/lab-order.entity';
import { Dispense } from '../modules/pharmacy/dispense.entity';
import { MatchReview } from '../modules/ingest/match-review.entity';
import { CriticalAlert } from '../modules/labs/critical-alert.entity';
import { MedicationReconciliation } from '../modules/medications/medication-reconciliation.entity';
import { Consent, ConsentEvent } from '../modules/consent/consent.entity';
import { BreakGlassAccess } from '../modules/consent/break-glass.entity';
import { PharmacyDispatch } from '../modules/pharmacy/pharmacy-dispatch.entity';
import { OrganizationEndpoint } from '../modules/webhooks/organization-endpoint.entity';
import { WebhookSecret, WebhookSource } from '../modules/webhooks/webhook-source.entity';
import { Delivery, DeliveryEvent } from '../modules/pharmacy/delivery.entity';
import { MedicationAlert } from '../modules/pharmacy/medication-alert.entity';
import { Referral, ReferralEvent } from '../modules/referrals/referral.entity';
import { ReferralLetter } from '../modules/referrals/referral-letter.entity';
import { WebhookMessage } from '../modules/webhooks/webhook-message.entity';
import { ReferralReminder } from '../modules/referrals/referral-reminder.entity';

export const entities = [
  BaseEntity,
  WebhookMessage,
  Organization,
  OrganizationIdentifierSystem,
  User,
  Membership,
  Patient,
  PatientIdentifier,
  Enrollment,
  CareTeamMember,
  ClinicalRecord,
  Diagnosis,
  Prescription,
  Assessment,
  Attendance,
  CarePlan,
  SideEffect,
  Allergy,
  Encounter,
  LabResult,
  LabOrder,
  Dispense,
  Notification,
  AuditEvent,
  OutboxMessage,
  InboxMessage,
  MatchReview,
  CriticalAlert,
  MedicationReconciliation,
  Consent,
  ConsentEvent,
  BreakGlassAccess,
  PharmacyDispatch,
  OrganizationEndpoint,
  WebhookSource,
  WebhookSecret,
  Delivery,
  DeliveryEvent,
  MedicationAlert,
  Referral,
  ReferralEvent,
  ReferralLetter,
  ReferralReminder,
];
