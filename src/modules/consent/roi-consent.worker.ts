import { UnrecoverableError, type Job } from 'bullmq';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import type { Notifier } from '../notifications/notify';
import { activeMembersOf } from '../users/members';
import { User } from '../users/user.entity';
import { Organization } from '../organizations/organization.entity';
import { renderConsentPdf } from './consent-document';
import { consentReaderRoles, consentRoles } from '../access/rules';
import { Membership } from '../users/membership.entity';
import { Consent, ConsentStatus } from './consent.entity';
import { NotificationSubject } from '../notifications/notification-subject';

type Payloads = JobPayloads['roi-consent'];

async function patientUsers(em: EntityManager, patientId: string): Promise<string[]> {
  return (await em.find(User, { patient: patientId, active: true })).map((user) => user.id);
}

/** The people at the recipient organizations and the named people, who relied on the consent. */
async function recipientUsers(em: EntityManager, consent: Consent): Promise<string[]> {
  const named = consent.recipientUserIds.length ? await em.find(User, { id: { $in: consent.recipientUserIds }, active: true }) : [];
  return [...(await activeMembersOf(em, consent.recipientOrganizationIds, consentReaderRoles)), ...named.map((user) => user.id)];
}

/**
 * The `roi-consent` queue: renders the consent form (PDF) and tells the patient it awaits them
 * (in-app, and by a content-free e-mail when that channel is on), tells recipients when
 * a consent they rely on is revoked or expires, and sweeps: expires consents at their date and
 * reminds patients of requests still unsigned. Every step is idempotent (keyed notifications,
 * state checks), so a redelivered job changes nothing twice.
 */
export async function roiConsentProcessor(job: Job, { orm, config, notifier }: JobContext): Promise<{ notified: number }> {
  const em = orm.em.fork();
  switch (job.name) {
    case 'consent.requested': {
      const consent = await em.findOneOrFail(Consent, { id: (job.data as Payloads['consent.requested']).consentId }, { populate: ['patient', 'program'] });
      if (!consent.document) {
        const organizations = await em.find(Organization, { id: { $in: consent.recipientOrganizationIds } });
        const people = await em.find(Membership, { user: { $in: consent.recipientUserIds }, role: { $in: consentRoles } }, { populate: ['user', 'organization'] });
        consent.document = await renderConsentPdf(consent, {
          patientName: `${consent.patient.givenName} ${consent.patient.familyName}`,
          programName: consent.program.name,
          recipientNames: [...organizations.map((organization) => organization.name), ...people.map(({ user, organization }) => `${user.displayName} (${organization.name})`)],
        });
        await em.flush();
      }
      const notified = await notifier.notifyUsers(em, await patientUsers(em, consent.patient.id), {
        kind: 'consent.requested',
        subjectType: NotificationSubject.CONSENT,
        subjectId: consent.id,
        sourceKey: `${job.queueName}/${job.id}`,
      });
      return { notified };
    }
    case 'consent.revoked': {
      const consent = await em.findOneOrFail(Consent, { id: (job.data as Payloads['consent.revoked']).consentId });
      const notified = await notifier.notifyUsers(em, await recipientUsers(em, consent), {
        kind: 'consent.revoked',
        subjectType: NotificationSubject.CONSENT,
        subjectId: consent.id,
        sourceKey: `${job.queueName}/${job.id}`,
      });
      return { notified };
    }
    case 'consent.expired': {
      const consent = await em.findOneOrFail(Consent, { id: (job.data as Payloads['consent.expired']).consentId });
      return { notified: await notifyExpired(em, notifier, consent) };
    }
    case 'consent.sweep':
      return sweep(em, notifier, config.CONSENT_REMINDER_HOURS);
    default:
      throw new UnrecoverableError(`Unknown roi-consent job ${job.name}`);
  }
}

async function sweep(em: EntityManager, notifier: Notifier, reminderHours: number): Promise<{ notified: number }> {
  const now = new Date();
  let notified = 0;
  const due = await em.find(Consent, { status: ConsentStatus.ACTIVE, expiresAt: { $lte: now } }, { populate: ['events'] });
  for (const consent of due) {
    consent.expire();
    await em.flush();
    notified += await notifyExpired(em, notifier, consent);
  }
  const unsigned = await em.find(Consent, { status: ConsentStatus.REQUESTED, createdAt: { $lte: new Date(now.getTime() - reminderHours * 3_600_000) } });
  for (const consent of unsigned) {
    // One reminder per request per day.
    notified += await notifier.notifyUsers(em, await patientUsers(em, consent.patient.id), {
      kind: 'consent.reminder',
      subjectType: NotificationSubject.CONSENT,
      subjectId: consent.id,
      sourceKey: `consent-reminder/${consent.id}/${now.toISOString().slice(0, 10)}`,
    });
  }
  return { notified };
}

/** Keyed by the consent, so the sweep and an expiry event never tell a recipient twice. */
async function notifyExpired(em: EntityManager, notifier: Notifier, consent: Consent): Promise<number> {
  return notifier.notifyUsers(em, await recipientUsers(em, consent), {
    kind: 'consent.expired',
    subjectType: NotificationSubject.CONSENT,
    subjectId: consent.id,
    sourceKey: `consent-expired/${consent.id}`,
  });
}
