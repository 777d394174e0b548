import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import {
  ClinicalMutationResolver, ClinicalRecordResolver, PatientClinicalResolver, PrescriptionResolver, ProvenanceResolver, SideEffectResolver,
} from '../modules/clinical/clinical.resolver';
import { OrganizationResolver } from '../modules/organizations/organization.resolver';
import { PrescriptionRoutingResolver } from '../modules/pharmacy/prescription-routing.resolver';
import { OrganizationEndpointResolver } from '../modules/webhooks/organization-endpoint.resolver';
import { MatchReviewResolver } from '../modules/ingest/match-review.resolver';
import { InboxResolver } from '../modules/ingest/inbox.resolver';
import { FailedJobResolver } from '../modules/queued-work/failed-jobs.resolver';
import { CriticalAlertResolver, PatientCriticalAlertResolver } from '../modules/labs/critical-alert.resolver';
import { NotificationResolver } from '../modules/notifications/notification.resolver';
import { MedicationListResolver } from '../modules/medications/medication-list.resolver';
import { BreakGlassResolver, ConsentResolver, PatientConsentResolver } from '../modules/consent/consent.resolver';
import { DisclosureResolver } from '../modules/audit/disclosure.resolver';
import {
  CareTeamMemberResolver, EnrollmentResolver, PatientIdentifierResolver, PatientResolver,
} from '../modules/patients/patient.resolver';
import { MembershipResolver, UserResolver } from '../modules/users/user.resolver';
import { PatientFhirExportResolver } from '../modules/fhir-export/fhir-export.resolver';
import { DispenseResolver, MedicationGroupFillsResolver, PharmacyResolver } from '../modules/pharmacy/pharmacy.resolver';
import { WebhookSourceResolver } from '../modules/webhooks/webhook-source.resolver';
import { DeliveryResolver, PrescriptionDeliveryResolver } from '../modules/pharmacy/delivery.resolver';
import { MedicationAlertResolver, PatientMedicationAlertResolver } from '../modules/pharmacy/medication-alert.resolver';
import { ReferralResolver } from '../modules/referrals/referral.resolver';
import { ReferralLetterResolver } from '../modules/referrals/referral-letter.resolver';
import { authChecker } from './auth-checker';
import { noSharedPubSub } from '../live/live-updates';

export const resolvers = [
  PrescriptionRoutingResolver,
  OrganizationEndpointResolver,
  OrganizationResolver,
  UserResolver,
  MembershipResolver,
  PatientResolver,
  PatientIdentifierResolver,
  EnrollmentResolver,
  CareTeamMemberResolver,
  ClinicalMutationResolver,
  PatientClinicalResolver,
  ClinicalRecordResolver,
  ProvenanceResolver,
  PrescriptionResolver,
  SideEffectResolver,
  MatchReviewResolver,
  InboxResolver,
  FailedJobResolver,
  CriticalAlertResolver,
  PatientCriticalAlertResolver,
  NotificationResolver,
  MedicationListResolver,
  ConsentResolver,
  PatientConsentResolver,
  DisclosureResolver,
  BreakGlassResolver,
  PatientFhirExportResolver,
  PharmacyResolver,
  DispenseResolver,
  MedicationGroupFillsResolver,
  WebhookSourceResolver,
  ReferralResolver,
  ReferralLetterResolver,
  DeliveryResolver,
  PrescriptionDeliveryResolver,
  MedicationAlertResolver,
  PatientMedicationAlertResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process (type-graphql's metadata is global anyway). */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    pubSub: noSharedPubSub,
    validate: { forbidUnknownValues: false },
  });
  return built;
}
