import type { Job } from 'bullmq';
import type { JobContext } from '../../jobs/worker-runtime';
import type { JobPayloads } from '../../jobs/queues';
import { Enrollment } from '../patients/enrollment.entity';
import { Notification } from './notification.entity';

type EnrolledPayload = JobPayloads['notifications']['patient.enrolled'];

/**
 * The `notifications` queue. Each job may run more than once (a retry after a crash); the
 * notifications it creates are keyed by job id, so a second run adds nothing.
 */
export async function notificationsProcessor(job: Job, { orm, logger }: JobContext): Promise<{ created: number }> {
  switch (job.name) {
    case 'patient.enrolled':
      return notifyCareTeamOfEnrollment(job as Job<EnrolledPayload>, { orm, logger });
    default:
      throw new Error(`Unknown notifications job ${job.name}`);
  }
}

async function notifyCareTeamOfEnrollment(job: Job<EnrolledPayload>, { orm, logger }: JobContext) {
  const sourceKey = `${job.queueName}/${job.id}`;
  return orm.em.fork().transactional(async (em) => {
    const enrollment = await em.findOne(Enrollment, { id: job.data.enrollmentId }, { populate: ['careTeam'] });
    if (!enrollment) {
      logger.warn({ jobId: job.id, enrollmentId: job.data.enrollmentId }, 'enrollment not found; nothing to notify');
      return { created: 0 };
    }
    const already = new Set(
      (await em.find(Notification, { sourceKey }, { fields: ['recipient'] })).map((notification) => notification.recipient.id),
    );
    const recipients = enrollment.careTeam.getItems().filter((member) => member.isCurrent && !already.has(member.user.id));
    for (const member of recipients) {
      em.persist(
        new Notification({
          recipient: member.user,
          kind: 'patient.enrolled',
          subjectType: 'Enrollment',
          subjectId: enrollment.id,
          sourceKey,
        }),
      );
    }
    return { created: recipients.length };
  });
}
