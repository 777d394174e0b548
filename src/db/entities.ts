import { AuditEvent } from '../modules/audit/audit-event.entity';
import { InboxMessage } from '../modules/inbox/inbox-message.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { CareTeamMember } from '../modules/patients/care-team-member.entity';
import { Enrollment } from '../modules/patients/enrollment.entity';
import { PatientIdentifier } from '../modules/patients/patient-identifier.entity';
import { Patient } from '../modules/patients/patient.entity';
import { Membership } from '../modules/users/membership.entity';
import { User } from '../modules/users/user.entity';
import { OutboxMessage } from '../jobs/outbox-message.entity';
import { BaseEntity } from './base.entity';

export const entities = [
  BaseEntity,
  Organization,
  User,
  Membership,
  Patient,
  PatientIdentifier,
  Enrollment,
  CareTeamMember,
  Notification,
  AuditEvent,
  OutboxMessage,
  InboxMessage,
];
