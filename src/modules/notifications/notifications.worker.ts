import { UnrecoverableError, type Job } from 'bullmq';
import type { JobContext } from '../../jobs/worker-runtime';
import type { JobPayloads } from '../../jobs/queues';
import { Enrollment } from '../patients/enrollment.entity';
import type { DeliveryRun } from './email-delivery';
import { Role } from '../../auth/roles';
import { BreakGlassAccess } from '../consent/break-glass.entity';
import { activeMembersOf } from '../users/members';
import { ClinicalRecord } from '../clinical/clinical-record.entity';
import { OrganizationKind } from '../organizations/organization.entity';

type EnrolledPayload = JobPayloads['notifications']['patient.enrolled'];

/**
 * The `notifications` queue. Each job may run more than once (a retry after a crash); the
 * notifications it creates are keyed by job id, so a second run adds nothing. `email.deliver`
 * (scheduled while the e-mail channel is on) sends the e-mails of pending notifications.
 */
export async function notificationsProcessor(job: Job, context: JobContext): Promise<{ created: number } | DeliveryRun> {
  switch (job.name) {
    case 'patient.enrolled':
      return notifyCareTeamOfEnrollment(job as Job<EnrolledPayload>, context);
    case 'break-glass.opened':
      return notifyPrivacyOfficer(job as Job<JobPayloads['notifications']['break-glass.opened']>, context);
    case 'email.deliver':
      // A run the schedule queued before the channel was switched off has nothing to send with.
      return context.emailDelivery?.deliverDue(context.orm.em.fork(), context.logger) ?? { sent: 0, withdrawn: 0, retrying: 0, failed: 0 };
    default:
      throw new UnrecoverableError(`Unknown notifications job ${job.name}`);
  }
}

async function notifyCareTeamOfEnrollment(job: Job<EnrolledPayload>, { orm, logger, notifier }: JobContext) {
  const em = orm.em.fork();
  const enrollment = await em.findOne(Enrollment, { id: job.data.enrollmentId }, { populate: ['careTeam'] });
  if (!enrollment) {
    logger.warn({ jobId: job.id, enrollmentId: job.data.enrollmentId }, 'enrollment not found; nothing to notify');
    return { created: 0 };
  }
  const team = enrollment.careTeam.getItems().filter((member) => member.isCurrent);
  const created = await notifier.notifyUsers(
    em,
    team.map((member) => member.user.id),
    { kind: 'patient.enrolled', subjectType: 'Enrollment', subjectId: enrollment.id, sourceKey: `${job.queueName}/${job.id}` },
  );
  return { created };
}

/**
 * Every emergency access is told to the privacy officers (for now: the active admins) of the
 * clinician's program and of each program that has the patient in its care, and to the local
 * providers whose records it opens (they have no admins here: their members), since a Part 2
 * program must document each emergency disclosure of its records (§2.51(c)).
 */
async function notifyPrivacyOfficer(job: Job<JobPayloads['notifications']['break-glass.opened']>, { orm, notifier }: JobContext) {
  const em = orm.em.fork();
  const access = await em.findOneOrFail(BreakGlassAccess, { id: job.data.accessId });
  const programs = (await em.find(Enrollment, { patient: access.patient }, { fields: ['program'] })).map((enrollment) => enrollment.program.id);
  const localRecords = await em.find(ClinicalRecord, { patient: access.patient, sourceOrganization: { kind: OrganizationKind.LOCAL_PROVIDER } }, { fields: ['sourceOrganization'] });
  const localProviders = [...new Set(localRecords.map((record) => record.sourceOrganization.id))];
  const created = await notifier.notifyUsers(
    em,
    [...(await activeMembersOf(em, [access.organizationId, ...programs], Role.ADMIN)), ...(await activeMembersOf(em, localProviders))],
    { kind: 'break-glass.opened', subjectType: 'BreakGlassAccess', subjectId: access.id, sourceKey: `${job.queueName}/${job.id}` },
  );
  return { created };
}
