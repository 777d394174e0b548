import type { LiveTopic } from '../live/topics';

/** Every queue the worker serves, and the jobs each one takes with their payloads. */
export const queueNames = [
  'notifications',
  'referral-letters',
  'roi-consent',
  'pharmacy-events',
  'lab-results',
  'inbound-messages',
] as const;

export type QueueName = (typeof queueNames)[number];

/** Payloads carry ids only, never PHI: job data sits in Redis and shows in the queue dashboard. */
export interface JobPayloads {
  notifications: {
    'patient.enrolled': { enrollmentId: string };
    'break-glass.opened': { accessId: string };
    /** A pharmacy transferred a prescription to another: its prescriber is told. */
    'fill.transferred': { dispenseId: string };
    /** Scheduled while the e-mail channel is on: sends the e-mails of pending notifications. */
    'email.deliver': Record<string, never>;
    /** Publishes a live update once the change it follows is committed (queued through the outbox in its transaction). */
    'live.publish': { topic: LiveTopic; patientId: string; recordId: string };
    /** Tells the other side of a referral of one of its moves (a `ReferralEvent`). */
    'referral.moved': { eventId: string };
  };
  'referral-letters': {
    /** Renders, stores and delivers the letter of a sent referral, of this letter version (see `referralPacket`). */
    'referral.send': { referralId: string; letterVersion: number };
  };
  'roi-consent': {
    'consent.requested': { consentId: string };
    'consent.revoked': { consentId: string };
    'consent.expired': { consentId: string };
    /** Scheduled: expires consents past their date, reminds patients of unsigned requests. */
    'consent.sweep': Record<string, never>;
  };
  'pharmacy-events': {
    /** Tells the prescriber their prescription awaits a consent naming its pharmacy. */
    'prescription.awaiting-consent': { prescriptionId: string };
    /** Routes the patient's prescriptions awaiting a consent that this signed consent now covers. */
    'consent.signed': { consentId: string };
    /** POSTs one message about a routed prescription (a `PharmacyDispatch`) to its pharmacy's endpoint. */
    'prescription.deliver': { dispatchId: string };
    /** Scheduled: routes waiting prescriptions a consent in force now covers (one that started later than it was signed). */
    'prescriptions.route-due': Record<string, never>;
    /** Tells the people a medication alert is for (keyed by the alert: a rerun tells them once). */
    'medication-alert.raised': { alertId: string };
  };
  'inbound-messages': {
    /** Imports a stored inbound message of any format. */
    'message.received': { inboxMessageId: string };
    /** Imports many, as the relay hands them over (see `relayed-together.ts`): a message's row and its job id, index by index. */
    'messages.received': { inboxMessageIds: string[]; jobIds: string[] };
  };
  'lab-results': {
    /** Kept for jobs queued before every format shared `inbound-messages`. */
    'oru.received': { inboxMessageId: string };
    'critical.raised': { alertId: string };
    'critical.escalate': { alertId: string };
  };
}

export type JobName<Q extends QueueName> = Extract<keyof JobPayloads[Q], string>;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];
