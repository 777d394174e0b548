import { registerEnumType } from 'type-graphql';

/**
 * What a notification is about, stored by its entity's name. Each kind of subject has a query
 * that opens it by `subjectId`, deciding access as the list it belongs to does; an id the reader
 * may not open is NOT_FOUND, exactly as an unknown one.
 */
export enum NotificationSubject {
  CRITICAL_ALERT = 'CriticalAlert',
  CONSENT = 'Consent',
  ENROLLMENT = 'Enrollment',
  BREAK_GLASS_ACCESS = 'BreakGlassAccess',
  INBOX_MESSAGE = 'InboxMessage',
  FAILED_JOB = 'FailedJob',
  PRESCRIPTION = 'Prescription',
  DISPENSE = 'Dispense',
  MEDICATION_ALERT = 'MedicationAlert',
  REFERRAL = 'Referral',
}

registerEnumType(NotificationSubject, {
  name: 'NotificationSubject',
  description: 'What a notification is about, and the query that opens it with the notification\'s subjectId.',
  valuesConfig: {
    CRITICAL_ALERT: { description: 'criticalAlert(id: subjectId): a critical lab result (critical.result, critical.escalated).' },
    CONSENT: { description: 'consent(id: subjectId): a release-of-information consent (consent.requested, consent.reminder, consent.revoked, consent.expired).' },
    ENROLLMENT: { description: 'enrollment(id: subjectId): a patient enrolled with you on the care team (patient.enrolled).' },
    BREAK_GLASS_ACCESS: { description: 'breakGlassAccess(id: subjectId): an emergency access to a patient\'s record (break-glass.opened).' },
    INBOX_MESSAGE: { description: 'inboundMessage(id: subjectId): an inbound message that failed (inbound.failed) or holds a critical result awaiting a patient match (critical.awaiting-match).' },
    FAILED_JOB: { description: 'failedJob(id: subjectId): queued work given up after every retry (job.failed).' },
    PRESCRIPTION: {
      description: 'prescription(id: subjectId): your prescription awaits a consent naming its pharmacy (prescription.awaiting-consent), or could not be delivered to the pharmacy (prescription.delivery-failed).',
    },
    DISPENSE: { description: 'dispense(id: subjectId): a prescription a pharmacy transferred to another pharmacy (fill.transferred).' },
    MEDICATION_ALERT: { description: 'medicationAlert(id: subjectId): a delivery late, held up or returned, a controlled substance unsigned, a fill not dispensed, a refill late (medication.alert).' },
    REFERRAL: {
      description:
        'referral(id: subjectId): a referral sent to your organization (referral.requested, referral.cancelled), or your referral answered or not delivered (referral.received, referral.accepted, referral.rejected, referral.scheduled, referral.completed, referral.no-show, referral.failed); a reminder to acknowledge one sent to your organization (referral.reminder) or to record the outcome of its appointment (referral.outcome-due), or your referral not yet acknowledged (referral.unacknowledged).',
    },
  },
});
